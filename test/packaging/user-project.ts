import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

// A user's project in a temporary directory: the workspace packages packed as they are published,
// installed with npm (from its cache where it can) next to whatever else the user installs. The
// packages must be built first (`npx tsc -b tsconfig.build.json`); the root test command does it.

/** Runs a command; rejects with its output when it fails. */
export const run = promisify(execFile);

/** The repository's root directory. */
export const root = fileURLToPath(new URL('../../', import.meta.url));

/** How long packing, installing or type-checking may take on a busy machine. */
export const installLimitMs = 240_000;

// pnpm pack turns `workspace:*` ranges into the versions they point at, as publishing does;
// npm pack would leave them, and npm cannot install those.
const packageManager = (JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { packageManager: string })
  .packageManager;

/** A user's project: its directory, and the tarballs packed into it. */
export interface UserProject {
  readonly directory: string;
  /** `./tarballs/<file>.tgz` specs npm installs, one per packed package. */
  readonly tarballs: readonly string[];
  /** Removes the project's directory. */
  remove(): Promise<void>;
}

/** Packs `packages/<name>` for each name into a new temporary project with an ESM package.json. */
export async function createUserProject(prefix: string, packageNames: readonly string[]): Promise<UserProject> {
  const directory = await mkdtemp(join(tmpdir(), `events-protocol-${prefix}-`));
  const destination = join(directory, 'tarballs');
  await mkdir(destination);
  await Promise.all(
    packageNames.map((name) =>
      run('npx', ['--yes', packageManager, 'pack', '--pack-destination', destination], {
        cwd: join(root, 'packages', name),
        timeout: installLimitMs,
      }),
    ),
  );
  const tarballs = (await readdir(destination))
    .filter((file) => file.endsWith('.tgz'))
    .map((file) => `./tarballs/${file}`);
  await writeFile(
    join(directory, 'package.json'),
    JSON.stringify({ name: `${prefix}-project`, private: true, type: 'module' }),
  );
  return { directory, tarballs, remove: () => rm(directory, { recursive: true, force: true }) };
}

/** `npm install`s the specs into the project, from npm's cache where it can, running no install scripts. */
export async function npmInstall(project: UserProject, specs: readonly string[]): Promise<void> {
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', ...specs], {
    cwd: project.directory,
    timeout: installLimitMs,
    maxBuffer: 16 * 1024 * 1024,
  });
}

/** What `tsc -p <tsconfig>` printed; an empty string when it compiled without errors. */
export async function typeCheck(project: UserProject, tsconfig = 'tsconfig.json'): Promise<string> {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  try {
    await run(process.execPath, [tsc, '-p', tsconfig, '--pretty', 'false'], {
      cwd: project.directory,
      timeout: installLimitMs,
      maxBuffer: 16 * 1024 * 1024,
    });
    return '';
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    const output = `${stdout ?? ''}${stderr ?? ''}`;
    if (output === '') throw error;
    return output;
  }
}
