import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { everyCpu, onEveryCpu } from '../../bench/src/every-cpu.js';

const helper = fileURLToPath(new URL('../../bench/src/every-cpu.ts', import.meta.url));

describe('giving a child of a pinned bench run every core', () => {
  it('lists every core of the machine as taskset reads it', () => {
    const count = cpus().length;
    expect(everyCpu()).toBe(count === 1 ? '0' : `0-${count - 1}`);
    expect(onEveryCpu('node', ['script.js'])).toEqual(['-c', everyCpu(), 'node', 'script.js']);
  });

  it('runs a child of a process pinned to one core on all of them', () => {
    // The pinned parent runs the helper; its child reports the cores it may use.
    const script = [
      `const { execFileOnEveryCpu } = await import(${JSON.stringify(helper)});`,
      `const probe = 'process.stdout.write(String(require("node:os").availableParallelism()))';`,
      `const { stdout } = await execFileOnEveryCpu(process.execPath, ['-e', probe]);`,
      `process.stdout.write(stdout);`,
    ].join('\n');
    const printed = execFileSync(
      'taskset',
      ['-c', '0', process.execPath, '--import', 'tsx', '--input-type=module', '-e', script],
      {
        encoding: 'utf8',
      },
    );
    expect(Number(printed)).toBe(cpus().length);
  });
});
