import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCallgrindDump, selfInstructionsByFunction } from '../../bench/src/callgrind-dump.js';

const run = promisify(execFile);

// A real callgrind dump of a real program, numbered and split by thread as the dumps that
// bench/src/server-instructions.ts asks callgrind_control for: `ls` under valgrind, dumped as it
// calls `exit`, so the dump is the same every time.
let dir: string;
let pid: number;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callgrind-dump-'));
  await run('valgrind', [
    '-q',
    '--tool=callgrind',
    '--separate-threads=yes',
    '--dump-instr=no',
    '--dump-before=exit',
    `--callgrind-out-file=${dir}/out.%p`,
    'ls',
    '/',
  ]);
  const dumped = (await readdir(dir)).find((name) => /^out\.\d+\.1-01$/.test(name));
  if (dumped === undefined) throw new Error(`callgrind wrote no dump to ${dir}`);
  pid = Number(dumped.split('.')[1]);
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Each function's own instructions as callgrind_annotate, valgrind's own reader, lists them. */
async function annotated(file: string): Promise<Map<string, number>> {
  const { stdout } = await run('callgrind_annotate', ['--threshold=100', '--inclusive=no', file]);
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
    const own = await selfInstructionsByFunction(main);
    expect([...own.values()].reduce((total, cost) => total + cost, 0)).toBe(dump.mainThreadInstructions);
    const reference = await annotated(main);
    expect(reference.size).toBeGreaterThan(50);
    expect(Object.fromEntries(own)).toEqual(Object.fromEntries(reference));
  });

  it('says clearly when there is no such dump', async () => {
    await expect(readCallgrindDump(dir, pid, 2)).rejects.toThrow(`no callgrind dump 2 of process ${pid}`);
  });
});
