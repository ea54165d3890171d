import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const workspace = fileURLToPath(new URL('../..', import.meta.url));
const here = fileURLToPath(new URL('./light-import/', import.meta.url));
const drivers = ['ioredis', 'pg', 'better-sqlite3'];

/**
 * Imports `entry` in a fresh Node process (TypeScript sources through tsx, as the tests resolve
 * them) with a resolve hook that logs every module it resolves, and returns the drivers among them.
 */
async function driversLoadedBy(entry: string): Promise<{ drivers: string[]; resolved: number }> {
  const directory = await mkdtemp(join(tmpdir(), 'light-import-'));
  try {
    const log = join(directory, 'resolved.log');
    await promisify(execFile)(
      process.execPath,
      [
        '--import',
        'tsx',
        '--import',
        join(here, 'record-resolutions.mjs'),
        '--conditions=@events-protocol/source',
        join(here, 'import-entry.mjs'),
        entry,
      ],
      { cwd: workspace, env: { ...process.env, RESOLUTION_LOG: log } },
    );
    const lines = (await readFile(log, 'utf8')).split('\n').filter((line) => line !== '');
    const loaded = drivers.filter((driver) =>
      lines.some((line) => {
        const [specifier = '', url = ''] = line.split('\t');
        return specifier === driver || specifier.startsWith(`${driver}/`) || url.includes(`/node_modules/${driver}/`);
      }),
    );
    return { drivers: loaded, resolved: lines.length };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

describe("importing '@events-protocol/publish'", () => {
  it('loads no database or broker driver: ioredis comes only with the /redis entry', async () => {
    const main = await driversLoadedBy('@events-protocol/publish');
    // The hook saw the package's own modules, so an empty driver list means something.
    expect(main.resolved).toBeGreaterThan(10);
    expect(main.drivers).toEqual([]);

    // The same probe on the Redis entry sees ioredis: the probe can tell.
    const redis = await driversLoadedBy('@events-protocol/publish/redis');
    expect(redis.drivers).toEqual(['ioredis']);
  });
});
