import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A server running in another JavaScript runtime, reached over a real socket. */
export interface RuntimeServer extends AsyncDisposable {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** Stops the runtime and waits for it to exit. */
  close(): Promise<void>;
}

const testDirectory = fileURLToPath(new URL('..', import.meta.url));

// Sloppy imports map the sources' `.js` specifiers to their `.ts` files. pino reads the host name
// when the server package loads: `--allow-sys=hostname`.
const denoFlags = [
  '--no-lock',
  '--allow-net=127.0.0.1',
  '--allow-read',
  '--allow-env',
  '--allow-sys=hostname',
  '--sloppy-imports',
  '--conditions=@events-protocol/source',
];

/** The runtimes the tests start, installed as the test workspace's `bun` and `deno` npm packages. */
export const runtimes = {
  bun: {
    binary: fileURLToPath(new URL('../node_modules/.bin/bun', import.meta.url)),
    // Bun runs TypeScript and resolves the workspace packages to their sources by the condition.
    args: (script: string) => ['--conditions=@events-protocol/source', script],
    // `bun <file>` serves a module whose default export has `fetch`, on $PORT.
    workerArgs: (script: string) => ['--conditions=@events-protocol/source', script],
  },
  deno: {
    binary: fileURLToPath(new URL('../node_modules/.bin/deno', import.meta.url)),
    args: (script: string) => ['run', ...denoFlags, script],
    // `deno serve` serves a module whose default export has `fetch`.
    workerArgs: (script: string) => ['serve', ...denoFlags, '--host', '127.0.0.1', '--port', '0', script],
  },
} as const;

/** Why a runtime's tests cannot run here (its binary is missing), or `undefined` when they can. */
export function missingRuntime(name: keyof typeof runtimes): string | undefined {
  const { binary } = runtimes[name];
  return existsSync(binary) ? undefined : `${name} is not installed at ${binary}: run pnpm install in test/`;
}

/** How a runtime runs the script: as a program that serves, or as a worker (`export default { fetch }`). */
export type RuntimeMode = 'program' | 'worker';

// A program prints `{"listening":<port>}`; the runtimes announce a worker's URL themselves.
const listening = /\{"listening":(\d+)\}|https?:\/\/[\w.-]+:(\d+)/;

/**
 * Starts `script` (a path under test/) in Bun or Deno with `args` and a free port, and resolves
 * once it says where it listens. Rejects with the runtime's output when it exits or says nothing
 * within `startTimeoutMs`.
 */
export async function startRuntimeServer(
  name: keyof typeof runtimes,
  script: string,
  options: { args?: readonly string[]; mode?: RuntimeMode; startTimeoutMs?: number } = {},
): Promise<RuntimeServer> {
  const runtime = runtimes[name];
  const startTimeoutMs = options.startTimeoutMs ?? 60_000;
  const scriptArgs = options.mode === 'worker' ? runtime.workerArgs(script) : runtime.args(script);
  // The npm packages' launchers may start the runtime as a child of their own (deno's runs it from
  // Node): the server gets a process group, and stopping it signals the whole group.
  const child = spawn(runtime.binary, [...scriptArgs, ...(options.args ?? [])], {
    cwd: testDirectory,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', PORT: '0' },
  });
  const signalGroup = (signal: NodeJS.Signals): void => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      child.kill(signal);
    }
  };
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => fail(`printed no port within ${startTimeoutMs} ms`), startTimeoutMs);
    function fail(why: string): void {
      clearTimeout(timer);
      signalGroup('SIGKILL');
      reject(new Error(`${name} ${script} ${why}:\n${output}`));
    }
    const read = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const found = listening.exec(output);
      if (found !== null) {
        clearTimeout(timer);
        resolve(Number(found[1] ?? found[2]));
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', (code, signal) => fail(`exited (${String(code ?? signal)})`));
  });
  const close = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) signalGroup('SIGTERM');
    await exited;
  };
  return { origin: `http://127.0.0.1:${port}`, close, [Symbol.asyncDispose]: close };
}
