// Holds SQLite's write lock on OUTBOX_FILE for OUTBOX_HOLD_MS, as a second process's long write would.
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';

const database = new Database(process.env.OUTBOX_FILE ?? '');
database.exec('BEGIN IMMEDIATE');
process.stdout.write('locked\n');
await sleep(Number(process.env.OUTBOX_HOLD_MS));
database.exec('COMMIT');
database.close();
process.stdout.write('released\n');
