import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// The main entry of @events-protocol/outbox is the engine alone: importing it loads no database
// driver, so an application installs only the driver of the store it uses. Checked in a fresh
// Node process (a test runner's module cache would hide what an import loads).

const workspace = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

interface Report {
  exports: string[];
  drivers: string[];
  opened?: Record<string, { name?: string; code?: string; message?: string; opened?: string }>;
}

async function importInChild(mode: 'main' | 'open' | 'sqlite', withoutDrivers: boolean): Promise<Report> {
  const hooks = withoutDrivers ? ['--import', './test/outbox/children/without-drivers.mjs'] : [];
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', '--conditions=@events-protocol/source', ...hooks, 'test/outbox/children/light-import.ts', mode],
    { cwd: workspace },
  );
  return JSON.parse(stdout) as Report;
}

describe('@events-protocol/outbox main entry', () => {
  it('loads no database driver and exports no store', async () => {
    const report = await importInChild('main', false);
    expect(report.drivers).toEqual([]);
    expect(report.exports).toEqual(
      expect.arrayContaining(['Outbox', 'OutboxRelay', 'openOutboxStore', 'throughQueue']),
    );
    expect(report.exports.filter((name) => /^[A-Z]\w*Store$/.test(name))).toEqual([]);
  });

  it('imports where no driver is installed', async () => {
    const report = await importInChild('main', true);
    expect(report.drivers).toEqual([]);
    expect(report.exports).toContain('Outbox');
  });

  it('while a store subpath loads its driver', async () => {
    const report = await importInChild('sqlite', false);
    expect(report.exports).toContain('SqliteOutboxStore');
    expect(report.drivers).toEqual(['better-sqlite3']);
  });

  it('names the package to install when openOutboxStore needs a driver that is missing', async () => {
    const { opened } = await importInChild('open', true);
    expect(Object.values(opened ?? {})).toEqual([
      expect.objectContaining({
        name: 'OutboxError',
        code: 'INVALID_OPTIONS',
        message: expect.stringContaining('npm install better-sqlite3') as string,
      }),
      expect.objectContaining({
        code: 'INVALID_OPTIONS',
        message: expect.stringContaining('npm install pg') as string,
      }),
      expect.objectContaining({
        code: 'INVALID_OPTIONS',
        message: expect.stringContaining('npm install ioredis') as string,
      }),
    ]);
  });
});
