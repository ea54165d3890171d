import { describe, expect, it } from 'vitest';
import { OutboxError, isOutboxError } from './outbox-error.js';
import { classifyPostgresError } from './postgres/postgres-connection.js';
import { classifyRedisError } from './redis/redis-connection.js';
import { classifySqliteError } from './sqlite/sqlite-busy.js';
import { toStoreError } from './store-error.js';

const withCode = (message: string, code: string): Error => Object.assign(new Error(message), { code });

describe('classifyPostgresError', () => {
  it('calls a terminated, refused or timed-out connection unavailable', () => {
    for (const error of [
      withCode('terminating connection due to administrator command', '57P01'),
      withCode('the database system is shutting down', '57P03'),
      withCode('connection failure', '08006'),
      withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'),
      withCode('read ECONNRESET', 'ECONNRESET'),
      new Error('Connection terminated unexpectedly'),
      new Error('Client has encountered a connection error and is not queryable'),
      new Error('timeout exceeded when trying to connect'),
    ]) {
      expect({ message: error.message, failure: classifyPostgresError(error) }).toEqual({
        message: error.message,
        failure: 'unavailable',
      });
    }
  });

  it('leaves errors of the statement itself alone', () => {
    expect(classifyPostgresError(withCode('duplicate key value', '23505'))).toBeUndefined();
    expect(classifyPostgresError(withCode('syntax error', '42601'))).toBeUndefined();
    expect(classifyPostgresError(withCode('canceling statement due to statement timeout', '57014'))).toBeUndefined();
    expect(classifyPostgresError('not an error')).toBeUndefined();
  });
});

describe('toStoreError', () => {
  it('wraps a classified driver error, keeping it as cause', () => {
    const driver = withCode('read ECONNRESET', 'ECONNRESET');
    const error = toStoreError('postgres', driver, 'unavailable');
    expect(isOutboxError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE', retryable: true, cause: driver });
    expect(toStoreError('sqlite', driver, 'busy')).toMatchObject({ code: 'STORE_BUSY', cause: driver });
  });

  it('returns anything else unchanged', () => {
    const driver = withCode('duplicate key value', '23505');
    expect(toStoreError('postgres', driver, undefined)).toBe(driver);
    const outbox = new OutboxError('CORRUPT_RECORD', 'unreadable');
    expect(toStoreError('postgres', outbox, 'unavailable')).toBe(outbox);
  });
});

describe('classifyRedisError', () => {
  it('calls a lost connection or a server that cannot serve now unavailable', () => {
    for (const error of [
      Object.assign(new Error('Reached the max retries per request limit (which is 2).'), {
        name: 'MaxRetriesPerRequestError',
      }),
      new Error('Connection is closed.'),
      new Error('Command aborted due to connection close'),
      withCode('connect ECONNREFUSED 127.0.0.1:6379', 'ECONNREFUSED'),
      new Error('LOADING Redis is loading the dataset in memory'),
      new Error("READONLY You can't write against a read only replica."),
    ]) {
      expect({ message: error.message, failure: classifyRedisError(error) }).toEqual({
        message: error.message,
        failure: 'unavailable',
      });
    }
  });

  it('leaves replies about the command alone, BUSYGROUP included', () => {
    expect(classifyRedisError(new Error('BUSYGROUP Consumer Group name already exists'))).toBeUndefined();
    expect(classifyRedisError(new Error('NOSCRIPT No matching script'))).toBeUndefined();
    expect(classifyRedisError(new Error('ERR wrong number of arguments'))).toBeUndefined();
  });
});

describe('classifySqliteError', () => {
  it('calls SQLITE_BUSY, its extended codes and SQLITE_LOCKED busy, and nothing else', () => {
    for (const code of ['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_RECOVERY', 'SQLITE_LOCKED']) {
      expect(classifySqliteError(withCode('database is locked', code))).toBe('busy');
    }
    expect(classifySqliteError(withCode('disk I/O error', 'SQLITE_IOERR'))).toBeUndefined();
    expect(classifySqliteError(withCode('constraint failed', 'SQLITE_CONSTRAINT_UNIQUE'))).toBeUndefined();
  });
});
