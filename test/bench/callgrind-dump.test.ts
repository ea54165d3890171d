import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCallgrindDump, selfCostByFunction } from '../../bench/src/callgrind-dump.js';

const run = promisify(execFile);

// Real callgrind dumps of a real program, numbered and split by thread as the dumps that
// bench/src/server-instructions.ts asks callgrind_control for: `ls` under valgrind, dumped as it
// calls `exit`, so the dump is the same every time. One counts instructions alone, the other also
// cache misses and branch mispredictions, as `--simulate-caches` does.
let dir: string;
let pid: number;
let simulatedDir: string;
let simulatedPid: number;
let byAddressDir: string;
let byAddressPid: number;

async function dumpOfLs(extra: readonly string[]): Promise<[dir: string, pid: number]> {
  const out = await mkdtemp(join(tmpdir(), 'callgrind-dump-'));
  await run('valgrind', [
    '-q',
    '--tool=callgrind',
    '--separate-threads=yes',
    '--dump-before=exit',
    ...extra,
    `--callgrind-out-file=${out}/out.%p`,
    'ls',
    '/',
  ]);
  const dumped = (await readdir(out)).find((name) => /^out\.\d+\.1-01$/.test(name));
  if (dumped === undefined) throw new Error(`callgrind wrote no dump to ${out}`);
  return [out, Number(dumped.split('.')[1])];
}

beforeAll(async () => {
  [dir, pid] = await dumpOfLs(['--dump-instr=no']);
  [simulatedDir, simulatedPid] = await dumpOfLs(['--dump-instr=no', '--cache-sim=yes', '--branch-sim=yes']);
  [byAddressDir, byAddressPid] = await dumpOfLs(['--dump-instr=yes']);
}, 120_000);

afterAll(async () => {
  await Promise.all([dir, simulatedDir, byAddressDir].map(async (path) => rm(path, { recursive: true, force: true })));
});

/** Each function's own count of `event` as callgrind_annotate, valgrind's own reader, lists them. */
async function annotated(file: string, event = 'Ir'): Promise<Map<string, number>> {
  const { stdout } = await run('callgrind_annotate', ['--threshold=100', '--inclusive=no', `--show=${event}`, file]);
  const costs = new Map<string, number>();
  for (const line of stdout.split('\n')) {
    const match = /^\s*([\d,]+) \(\s*[\d.]+%\)\s+[^:]*:(.*?)(?: \[[^\]]*\])?$/.exec(line);
    if (match?.[1] === undefined || match[2] === undefined || line.endsWith('PROGRAM TOTALS')) continue;
    costs.set(match[2], (costs.get(match[2]) ?? 0) + Number(match[1].replaceAll(',', '')));
  }
  return costs;
}

describe('reading a callgrind dump', () => {
  it('finds the dump of the process, main thread first, with its instruction count', async () => {
    const dump = await readCallgrindDump(dir, pid, 1);
    expect(dump.files).toEqual([join(dir, `out.${pid}.1-01`)]);
    expect(dump.mainThreadInstructions).toBeGreaterThan(100_000);
    expect(dump.instructions).toBe(dump.mainThreadInstructions);
  });

  it("gives every function's own instructions as callgrind_annotate does, adding up to the total", async () => {
    const dump = await readCallgrindDump(dir, pid, 1);
    const main = dump.files[0] as string;
    const own = await selfCostByFunction(main);
    expect([...own.values()].reduce((total, cost) => total + cost, 0)).toBe(dump.mainThreadInstructions);
    const reference = await annotated(main);
    expect(reference.size).toBeGreaterThan(50);
    expect(Object.fromEntries(own)).toEqual(Object.fromEntries(reference));
  });

  it('reads each simulated cache miss and misprediction by its name, as callgrind_annotate does', async () => {
    const dump = await readCallgrindDump(simulatedDir, simulatedPid, 1);
    expect(dump.events).toEqual([
      'Ir',
      'Dr',
      'Dw',
      'I1mr',
      'D1mr',
      'D1mw',
      'ILmr',
      'DLmr',
      'DLmw',
      'Bc',
      'Bcm',
      'Bi',
      'Bim',
    ]);
    expect(dump.mainThreadInstructions).toBe(dump.mainThread['Ir']);
    const main = dump.files[0] as string;
    for (const event of ['Ir', 'I1mr', 'D1mr', 'Bcm', 'Bim']) {
      const own = await selfCostByFunction(main, { event });
      expect(
        [...own.values()].reduce((total, cost) => total + cost, 0),
        event,
      ).toBe(dump.mainThread[event]);
      expect(dump.mainThread[event], event).toBeGreaterThan(0);
      expect(Object.fromEntries(own), event).toEqual(Object.fromEntries(await annotated(main, event)));
    }
  });

  it('reads cost lines that give an address before the line number (--dump-instr=yes)', async () => {
    const dump = await readCallgrindDump(byAddressDir, byAddressPid, 1);
    const main = dump.files[0] as string;
    const own = await selfCostByFunction(main);
    expect([...own.values()].reduce((total, cost) => total + cost, 0)).toBe(dump.mainThreadInstructions);
    expect(Object.fromEntries(own)).toEqual(Object.fromEntries(await annotated(main)));
  });

  it('says clearly when there is no such dump, or the dump does not count an event', async () => {
    const main = (await readCallgrindDump(dir, pid, 1)).files[0] as string;
    await expect(selfCostByFunction(main, { event: 'I1mr' })).rejects.toThrow('does not count I1mr');
    await expect(readCallgrindDump(dir, pid, 2)).rejects.toThrow(`no callgrind dump 2 of process ${pid}`);
  });

  it('reads the dump callgrind writes when the process exits, as many instructions as valgrind says it collected', async () => {
    const out = await mkdtemp(join(tmpdir(), 'callgrind-final-'));
    try {
      const { stderr } = await run('valgrind', [
        '--tool=callgrind',
        '--separate-threads=yes',
        '--dump-instr=no',
        `--callgrind-out-file=${out}/out.%p`,
        'ls',
        '/',
      ]);
      const collected = /Collected : (\d+)/.exec(stderr)?.[1];
      const exitPid = Number(/^==(\d+)==/m.exec(stderr)?.[1]);
      expect(collected).toBeDefined();
      const dump = await readCallgrindDump(out, exitPid, 'final');
      expect(dump.instructions).toBe(Number(collected));
      expect(dump.mainThreadInstructions).toBe(Number(collected));
      await expect(readCallgrindDump(out, exitPid, 1)).rejects.toThrow(`no callgrind dump 1 of process ${exitPid}`);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
