import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root: the built CLI runs from there, as a user's shell would run it. */
export const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The built `events` binary (`npx tsc -b tsconfig.build.json` makes it). */
export const builtCli = fileURLToPath(new URL('../../packages/cli/dist/cli.js', import.meta.url));

/** What one run of the command printed and how it exited. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the built `events` command in a child process as a user would, with no terminal, and
 * resolves however it exits. `env` is added to this process's environment.
 */
export function runBuiltCli(
  args: readonly string[],
  options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {},
): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [builtCli, ...args],
      {
        cwd: options.cwd ?? repositoryRoot,
        env: { ...process.env, NO_COLOR: '1', ...options.env },
        timeout: options.timeoutMs ?? 60_000,
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
