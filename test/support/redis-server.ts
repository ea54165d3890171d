import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';

/** A real `redis-server` started for a test on a free port in a temporary directory. */
export interface RedisServer extends AsyncDisposable {
  readonly port: number;
  readonly url: string;
  /** Kills the server (SIGKILL) without waiting for it to save anything. */
  kill(): Promise<void>;
  /** Starts the server again on the same port, after {@link kill}. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts `redis-server` (installed by `.ci/run`), waiting until it accepts connections. Persistence
 * is off unless `durable`: then every write is in the append-only file, fsynced before Redis
 * answers, so a `kill()` loses nothing Redis acknowledged.
 */
export async function startRedisServer(
  options: {
    durable?: boolean;
    /** Require this password (`requirepass`); `url` carries it. */ password?: string;
  } = {},
): Promise<RedisServer> {
  const directory = await mkdtemp(join(tmpdir(), 'events-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined;

  async function launch(): Promise<void> {
    const process = spawn(
      'redis-server',
      [
        ...['--port', String(port), '--bind', '127.0.0.1', '--dir', directory, '--save', ''],
        ...(options.durable === true ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']),
        ...(options.password === undefined ? [] : ['--requirepass', options.password]),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = process;
    await new Promise<void>((resolve, reject) => {
      let output = '';
      const onData = (chunk: Buffer): void => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          process.stdout.off('data', onData);
          resolve();
        }
      };
      process.stdout.on('data', onData);
      process.once('error', (error) =>
        reject(new Error(`could not start redis-server (is it installed?): ${error.message}`)),
      );
      process.once('exit', (code) => reject(new Error(`redis-server exited with ${String(code)}: ${output}`)));
    });
  }

  async function kill(): Promise<void> {
    const running = child;
    child = undefined;
    if (running === undefined || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGKILL');
    });
  }

  async function stop(): Promise<void> {
    await kill();
    await rm(directory, { recursive: true, force: true });
  }

  await launch();
  const auth = options.password === undefined ? '' : `:${encodeURIComponent(options.password)}@`;
  return { port, url: `redis://${auth}127.0.0.1:${port}`, kill, restart: launch, stop, [Symbol.asyncDispose]: stop };
}
