import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createUserProject,
  installLimitMs,
  npmInstall,
  root,
  run,
  typeCheck,
  type UserProject,
} from './user-project.js';

// Light installs, as users install the packages: the publishing packages packed as published and
// installed with npm into one project with none of the database drivers (better-sqlite3, pg,
// ioredis), which are optional peer dependencies. Their main entries load there and ask for no
// driver; a store subpath fails naming the driver it needs; both compile with skipLibCheck off.
// Then the drivers, express and their types are added to the same project and every subpath
// compiles, the routers' `/express` subpaths included.

const packages = ['core', 'client', 'publish', 'outbox', 'webhooks', 'topics'];
const mainEntries = packages.map((name) => `@events-protocol/${name}`).concat('@events-protocol/client/egress');
const storeSubpaths = [
  ['@events-protocol/outbox/sqlite', 'better-sqlite3'],
  ['@events-protocol/outbox/postgres', 'pg'],
  ['@events-protocol/outbox/redis', 'ioredis'],
  ['@events-protocol/webhooks/sqlite', 'better-sqlite3'],
  ['@events-protocol/webhooks/postgres', 'pg'],
  ['@events-protocol/webhooks/redis', 'ioredis'],
  ['@events-protocol/publish/redis', 'ioredis'],
] as const;
const drivers = [
  'express@^5.1.0',
  '@types/express@^5.0.6',
  'better-sqlite3@^12.4.0',
  '@types/better-sqlite3@^9.6.0',
  'pg@^8.16.0',
  '@types/pg@^8.23.1',
  'ioredis@^5.8.0',
];
const typesNodeVersion = (
  JSON.parse(await readFile(join(root, 'node_modules', '@types', 'node', 'package.json'), 'utf8')) as {
    version: string;
  }
).version;

// Only zod and Node's types: express is an optional peer too, loaded only by the routers' subpaths.
const userDependencies = ['zod@^4.1.0', `@types/node@${typesNodeVersion}`];
const routerSubpaths = ['@events-protocol/webhooks/express', '@events-protocol/topics/express'];

interface ProbeResult {
  readonly loaded: boolean;
  readonly exports?: readonly string[];
  readonly code?: string;
  readonly message?: string;
  /** Driver specifiers the process asked to resolve (successfully or not). */
  readonly driversAsked: readonly string[];
  /** Drivers whose files are in the CommonJS module cache. */
  readonly driversLoaded: readonly string[];
}

/** A program that imports each module by name and mentions it, so the compiler reads all their declarations. */
function importingProgram(specifiers: readonly string[]): string {
  const names = specifiers.map((_, index) => `module${index}`);
  return [
    ...specifiers.map((specifier, index) => `import * as ${names[index]} from '${specifier}';`),
    `console.log([${names.join(', ')}].map((namespace) => Object.keys(namespace).length));`,
    '',
  ].join('\n');
}

/** A strict NodeNext project that checks every declaration file it reads (`skipLibCheck: false`). */
const strictTsconfig = (file: string): string =>
  JSON.stringify({
    compilerOptions: {
      target: 'ES2023',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      skipLibCheck: false,
      noEmit: true,
      types: ['node'],
    },
    files: [file],
  });

describe('the publishing packages installed from their tarballs without database drivers', () => {
  let project: UserProject | undefined;
  const directory = (): string => {
    if (project === undefined) throw new Error('the project was not installed');
    return project.directory;
  };

  /** Imports `specifier` in a fresh node process in the project and reports what happened. */
  async function probe(specifier: string): Promise<ProbeResult> {
    const log = join(directory(), `resolutions-${Math.random().toString(36).slice(2)}.log`);
    const { stdout } = await run(
      process.execPath,
      ['--import', './record-resolutions.mjs', 'probe-import.mjs', specifier],
      { cwd: directory(), env: { ...process.env, RESOLUTION_LOG: log }, timeout: 60_000 },
    );
    return JSON.parse(stdout) as ProbeResult;
  }

  beforeAll(async () => {
    project = await createUserProject('light', packages);
    await npmInstall(project, [...project.tarballs, ...userDependencies]);
    const fixtures = join(root, 'test', 'packaging', 'fixtures');
    for (const file of ['record-resolutions.mjs', 'resolution-hook.mjs', 'probe-import.mjs']) {
      await copyFile(join(fixtures, file), join(project.directory, file));
    }
    await writeFile(join(project.directory, 'main-entries.ts'), importingProgram(mainEntries));
    await writeFile(join(project.directory, 'tsconfig.main.json'), strictTsconfig('main-entries.ts'));
    const everything = [...mainEntries, ...storeSubpaths.map(([subpath]) => subpath), ...routerSubpaths];
    await writeFile(join(project.directory, 'every-subpath.ts'), importingProgram(everything));
    await writeFile(join(project.directory, 'tsconfig.every.json'), strictTsconfig('every-subpath.ts'));
  }, installLimitMs);

  afterAll(async () => {
    await project?.remove();
  });

  it('has none of the drivers installed', async () => {
    const { stdout } = await run('npm', ['ls', '--all', '--parseable'], { cwd: directory() }).catch(
      (error: unknown) => error as { stdout: string },
    );
    const installed = stdout
      .split('\n')
      .filter((path) => /\/node_modules\/(better-sqlite3|pg|ioredis|express)$/.test(path));
    expect(installed).toEqual([]);
  });

  it.each(mainEntries)('%s loads and asks for no driver', async (specifier) => {
    const result = await probe(specifier);
    expect(result).toMatchObject({ loaded: true, driversAsked: [], driversLoaded: [] });
    expect(result.exports?.length).toBeGreaterThan(0);
  });

  it.each(storeSubpaths)('%s fails naming %s, the package to install', async (subpath, driver) => {
    const result = await probe(subpath);
    expect(result).toMatchObject({ loaded: false, code: 'ERR_MODULE_NOT_FOUND', driversAsked: [driver] });
    expect(result.message).toContain(`'${driver}'`);
  });

  it(
    'the main entries compile against the published declarations with skipLibCheck off',
    async () => {
      expect(await typeCheck(project!, 'tsconfig.main.json')).toBe('');
    },
    installLimitMs,
  );

  describe('then with the drivers and their types installed', () => {
    beforeAll(async () => {
      await npmInstall(project!, drivers);
    }, installLimitMs);

    it(
      'every subpath compiles against the published declarations with skipLibCheck off',
      async () => {
        expect(await typeCheck(project!, 'tsconfig.every.json')).toBe('');
      },
      installLimitMs,
    );

    it.each(mainEntries)('%s still asks for no driver', async (specifier) => {
      expect(await probe(specifier)).toMatchObject({ loaded: true, driversAsked: [], driversLoaded: [] });
    });

    it.each(routerSubpaths)('%s loads with express installed', async (subpath) => {
      expect(await probe(subpath)).toMatchObject({ loaded: true, driversAsked: [], driversLoaded: [] });
    });

    it.each(storeSubpaths)('%s loads, and with it %s', async (subpath, driver) => {
      const result = await probe(subpath);
      expect(result).toMatchObject({ loaded: true });
      expect(result.driversAsked).toContain(driver);
      expect(result.driversLoaded).toContain(driver);
    });
  });
});
