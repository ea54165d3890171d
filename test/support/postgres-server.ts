import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chown, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';

/** A throwaway PostgreSQL server started for a test on a free port in a temporary directory. */
export interface PostgresServer extends AsyncDisposable {
  readonly port: number;
  /**
   * `postgres://postgres@127.0.0.1:<port>/postgres` (trust authentication), or with the password
   * when the server was started with one.
   */
  readonly url: string;
  stop(): Promise<void>;
}

/** The newest `/usr/lib/postgresql/<version>/bin` holding `initdb` (installed by `.ci/run`). */
async function binaries(): Promise<string> {
  const root = '/usr/lib/postgresql';
  const versions = await readdir(root).catch(() => [] as string[]);
  const newest = versions.filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a))[0];
  if (newest === undefined) throw new Error(`no PostgreSQL under ${root} (is the postgresql package installed?)`);
  return join(root, newest, 'bin');
}

/** PostgreSQL refuses to run as root: as root, run it as the `postgres` user of the Debian package. */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string): number => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

function run(command: string, args: string[], user: { uid: number; gid: number } | undefined): ChildProcess {
  return spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' }, ...user });
}

async function finished(child: ChildProcess, what: string): Promise<void> {
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`${what} exited with ${String(code)}: ${output}`);
}

/**
 * Starts PostgreSQL: `initdb` into a temporary directory, then `postgres` on a free port with
 * its socket in that directory, fsync off unless `durable` (a test database need not survive a
 * power cut).
 * Resolves once it accepts connections; `stop()` shuts it down and removes the directory.
 */
export async function startPostgresServer(
  options: {
    /** Require this password of the `postgres` role (scram-sha-256) on every connection. */ password?: string;
    /** Keep fsync and synchronous commits on, as production runs it (benchmarks); off by default. */
    durable?: boolean;
  } = {},
): Promise<PostgresServer> {
  const bin = await binaries();
  const user = runAs();
  const directory = await mkdtemp(join(tmpdir(), 'events-postgres-'));
  if (user !== undefined) await chown(directory, user.uid, user.gid);
  const data = join(directory, 'data');
  const initdb = ['-D', data, '-U', 'postgres', '-E', 'UTF8', '--no-sync'];
  if (options.password === undefined) {
    initdb.push('--auth=trust');
  } else {
    const passwordFile = join(directory, 'password');
    await writeFile(passwordFile, `${options.password}\n`, { mode: 0o600 });
    if (user !== undefined) await chown(passwordFile, user.uid, user.gid);
    initdb.push('--auth=scram-sha-256', `--pwfile=${passwordFile}`);
  }
  await finished(run(join(bin, 'initdb'), initdb, user), 'initdb');
  const port = await freePort();
  const settings =
    options.durable === true
      ? ['listen_addresses=127.0.0.1', 'max_connections=200']
      : ['listen_addresses=127.0.0.1', 'fsync=off', 'synchronous_commit=off', 'full_page_writes=off'];
  const server = run(
    join(bin, 'postgres'),
    ['-D', data, '-p', String(port), '-k', directory, ...settings.flatMap((setting) => ['-c', setting])],
    user,
  );
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('ready to accept connections')) {
        server.stderr?.off('data', onData);
        resolve();
      }
    };
    server.stderr?.on('data', onData);
    server.once('error', (error) => reject(new Error(`could not start postgres: ${error.message}`)));
    server.once('exit', (code) => reject(new Error(`postgres exited with ${String(code)}: ${output}`)));
  });
  server.stderr?.resume();

  async function stop(): Promise<void> {
    if (server.exitCode === null && server.signalCode === null) {
      // SIGINT is PostgreSQL's fast shutdown: it ends sessions and stops at once.
      await new Promise<void>((resolve) => {
        server.once('exit', () => resolve());
        server.kill('SIGINT');
      });
    }
    await rm(directory, { recursive: true, force: true });
  }

  const auth = options.password === undefined ? '' : `:${encodeURIComponent(options.password)}`;
  return { port, url: `postgres://postgres${auth}@127.0.0.1:${port}/postgres`, stop, [Symbol.asyncDispose]: stop };
}
