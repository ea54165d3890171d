/**
 * Reading what valgrind's callgrind wrote: the counts of a dump, and the counts each function
 * incurred itself, with V8's compiled JavaScript named from the perf map node writes under
 * `--perf-basic-prof` (callgrind knows only the addresses of code V8 generated). A dump counts
 * instructions (`Ir`), and with `--cache-sim=yes` and `--branch-sim=yes` also cache misses
 * (`I1mr`, `D1mr`, `D1mw`, `ILmr`, `DLmr`, `DLmw`) and branches and their mispredictions (`Bc`,
 * `Bcm`, `Bi`, `Bim`); each count is read by its name.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One dump of one server process, thread by thread (`--separate-threads=yes`). */
export interface CallgrindDump {
  /** The files of the dump, the main thread's first. */
  readonly files: readonly string[];
  /** What the dump counted, in the order of its `events:` line: `Ir` first. */
  readonly events: readonly string[];
  /** Each event's count over every thread. */
  readonly allThreads: Readonly<Record<string, number>>;
  /** Each event's count on the main thread, where JavaScript runs. */
  readonly mainThread: Readonly<Record<string, number>>;
  /** Instructions executed by every thread. */
  readonly instructions: number;
  /** Instructions executed by the main thread. */
  readonly mainThreadInstructions: number;
}

/** A code range of V8's perf map: `start size name`, addresses in hexadecimal. */
interface CodeRange {
  readonly start: number;
  readonly end: number;
  readonly name: string;
}

/** A dump file's `events:` line, the names of the numbers on each cost line. */
function eventsOf(text: string, file: string): string[] {
  const match = /^events: (.+)$/m.exec(text);
  if (match?.[1] === undefined) throw new Error(`${file} holds no events line: not a callgrind dump`);
  return match[1].trim().split(/\s+/);
}

/** A dump's `totals:` line: the sum of its cost lines, what the functions' own costs add up to. */
function totalsOf(text: string, file: string, events: readonly string[]): Record<string, number> {
  const match = /^totals: (.+)$/m.exec(text);
  if (match?.[1] === undefined) throw new Error(`${file} holds no totals line: not a callgrind dump`);
  const values = match[1].trim().split(/\s+/).map(Number);
  // Trailing counts that are zero may be left out.
  return Object.fromEntries(events.map((event, index) => [event, values[index] ?? 0]));
}

/**
 * The files of dump `dump` (1 for the first `callgrind_control -d`) of process `pid` in `dir`,
 * written as `out.<pid>.<dump>-<thread>`, or of the dump callgrind writes when the process exits
 * (`'final'`, `out.<pid>-<thread>`), and their counts.
 */
export async function readCallgrindDump(dir: string, pid: number, dump: number | 'final'): Promise<CallgrindDump> {
  const prefix = dump === 'final' ? `out.${pid}-` : `out.${pid}.${dump}-`;
  const files = (await readdir(dir))
    .filter((name) => name.startsWith(prefix))
    .sort()
    .map((name) => join(dir, name));
  const [main] = files;
  if (main === undefined) throw new Error(`no callgrind dump ${dump} of process ${pid} in ${dir}`);
  const texts = await Promise.all(files.map(async (file) => readFile(file, 'utf8')));
  const events = eventsOf(texts[0] ?? '', main);
  const totals = texts.map((text, index) => totalsOf(text, files[index] ?? main, events));
  const allThreads = Object.fromEntries(
    events.map((event) => [event, totals.reduce((sum, counts) => sum + (counts[event] ?? 0), 0)]),
  );
  const mainThread = totals[0] ?? {};
  return {
    files,
    events,
    allThreads,
    mainThread,
    instructions: allThreads['Ir'] ?? 0,
    mainThreadInstructions: mainThread['Ir'] ?? 0,
  };
}

async function readPerfMap(file: string): Promise<CodeRange[]> {
  const ranges: CodeRange[] = [];
  for (const line of (await readFile(file, 'utf8')).split('\n')) {
    const first = line.indexOf(' ');
    const second = line.indexOf(' ', first + 1);
    if (first === -1 || second === -1) continue;
    const start = Number.parseInt(line.slice(0, first), 16);
    const size = Number.parseInt(line.slice(first + 1, second), 16);
    ranges.push({ start, end: start + size, name: line.slice(second + 1) });
  }
  return ranges.sort((a, b) => a.start - b.start);
}

function nameAt(ranges: readonly CodeRange[], address: number): string | undefined {
  let low = 0;
  let high = ranges.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const range = ranges[middle] as CodeRange;
    if (address < range.start) high = middle - 1;
    else if (address >= range.end) low = middle + 1;
    else return range.name;
  }
  return undefined;
}

/**
 * What each function that incurred `event` incurred itself (`Ir`, instructions, by default) in a dump file,
 * by name: the cost lines under each `fn=`, without the inclusive cost a line after `calls=` gives
 * a call. Addresses of code V8 generated are named from `perfMap` (`JS:*name file:line` for
 * optimised JavaScript, `RegExp:…` for a compiled RegExp) when given, and otherwise stay addresses.
 */
export async function selfCostByFunction(
  file: string,
  options: { event?: string; perfMap?: string } = {},
): Promise<Map<string, number>> {
  const { event = 'Ir', perfMap } = options;
  const text = await readFile(file, 'utf8');
  const column = eventsOf(text, file).indexOf(event);
  if (column === -1) throw new Error(`${file} does not count ${event}`);
  // Each cost line starts with its position: a line number, or an address and a line number.
  const positions = (/^positions: (.+)$/m.exec(text)?.[1] ?? 'line').trim().split(/\s+/).length;
  const ranges = perfMap === undefined ? [] : await readPerfMap(perfMap);
  const namesById = new Map<string, string>();
  const costs = new Map<string, number>();
  // Costs before the first `fn=` belong to no function callgrind could name.
  let current = '(unknown)';
  let callCost = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('fn=')) {
      current = functionName(line.slice(3), namesById, ranges);
      callCost = false;
    } else if (line.startsWith('cfn=')) {
      // A callee's name may be given here first; later `fn=` lines give only its id.
      functionName(line.slice(4), namesById, ranges);
    } else if (line.startsWith('calls=')) {
      callCost = true;
    } else if (/^[\d+*-]/.test(line)) {
      // The line after `calls=` is the call's inclusive cost, which belongs to the callee.
      if (callCost) {
        callCost = false;
        continue;
      }
      // The position, then one number per event; trailing zeros may be left out.
      const cost = line.split(' ')[positions + column];
      if (cost !== undefined && cost !== '0') costs.set(current, (costs.get(current) ?? 0) + Number(cost));
    }
  }
  return costs;
}

/** `fn=`'s name, given as `(id) name` the first time and `(id)` after, with generated code named. */
function functionName(value: string, namesById: Map<string, string>, ranges: readonly CodeRange[]): string {
  const compressed = /^\((\d+)\)(?: (.*))?$/.exec(value);
  let name = value;
  if (compressed?.[1] !== undefined) {
    name = compressed[2] ?? namesById.get(compressed[1]) ?? value;
    namesById.set(compressed[1], name);
  }
  const address = /^0x([0-9a-f]+)$/.exec(name)?.[1];
  return (address === undefined ? undefined : nameAt(ranges, Number.parseInt(address, 16))) ?? name;
}
