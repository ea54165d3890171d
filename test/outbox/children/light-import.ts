// Imports the outbox's main entry (or a store's subpath) and prints, as JSON, what it exports,
// which database drivers got loaded, and (with `open`) what openOutboxStore says of each store.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const mode = process.argv[2] ?? 'main';
const drivers = ['better-sqlite3', 'pg', 'ioredis'];

function loadedDrivers(): string[] {
  const cache = Object.keys(createRequire(import.meta.url).cache);
  return drivers.filter((driver) => cache.some((file) => file.includes(`/node_modules/${driver}/`)));
}

const entry = mode === 'sqlite' ? '@events-protocol/outbox/sqlite' : '@events-protocol/outbox';
const module = (await import(entry)) as Record<string, unknown>;
const report: Record<string, unknown> = { exports: Object.keys(module).sort(), drivers: loadedDrivers() };
if (mode === 'open') {
  const { openOutboxStore } = await import('@events-protocol/outbox');
  const opened: Record<string, unknown> = {};
  for (const location of [
    `sqlite:${join(tmpdir(), 'never-created.db')}`,
    'postgres://127.0.0.1:1/none',
    'redis://127.0.0.1:1',
  ]) {
    try {
      const store = await openOutboxStore(location);
      opened[location] = { opened: store.name };
      await store.close();
    } catch (error) {
      const { name, code, message } = error as { name?: string; code?: string; message?: string };
      opened[location] = { name, code, message };
    }
  }
  report.opened = opened;
}
process.stdout.write(`${JSON.stringify(report)}\n`);
