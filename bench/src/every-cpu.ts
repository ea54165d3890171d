/**
 * Giving a child process the whole machine back. Each Node version's run is pinned to CPU 0 (the
 * load generator's core), and a child inherits its parent's affinity: a compiler that checks on
 * several threads (tsc 7) would run on one core, and a group with servers of its own would share
 * the load generator's.
 */
import { execFile } from 'node:child_process';
import { cpus } from 'node:os';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/**
 * Every core of this machine as a `taskset` list (`0-1` on 2 cores). It counts the cores the
 * machine has, not the ones this process may run on (`availableParallelism()` reads the affinity).
 */
export function everyCpu(): string {
  const count = Math.max(1, cpus().length);
  return count === 1 ? '0' : `0-${count - 1}`;
}

/** `taskset`'s arguments that run `command` on every core, whatever this process is pinned to. */
export function onEveryCpu(command: string, commandArguments: readonly string[]): string[] {
  return ['-c', everyCpu(), command, ...commandArguments];
}

/** `execFile` of `command` on every core: what it printed, or a rejection with `stdout` and `stderr`. */
export function execFileOnEveryCpu(
  command: string,
  commandArguments: readonly string[],
  options: { maxBuffer?: number } = {},
): Promise<{ stdout: string; stderr: string }> {
  return execFileAsync('taskset', onEveryCpu(command, commandArguments), { encoding: 'utf8', ...options });
}
