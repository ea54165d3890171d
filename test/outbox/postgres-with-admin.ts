import { Client } from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { startPostgresServer, type PostgresServer } from '../support/postgres-server.js';

/** A PostgreSQL server of the test file, and an admin connection to it for what the tests do behind the store's back. */
export interface PostgresWithAdmin {
  /** The server's connection URL. */
  readonly url: string;
  /** A connected client, for terminating backends, creating old tables and reading what the store wrote. */
  readonly admin: Client;
}

/**
 * Starts a real PostgreSQL for the file (on a free port, in a temporary directory) and connects
 * an admin client to it before the tests, and ends both after them. Call at the top of a test
 * file; read `url` and `admin` inside tests only.
 */
export function postgresWithAdmin(): PostgresWithAdmin {
  let server: PostgresServer | undefined;
  let client: Client | undefined;
  beforeAll(async () => {
    server = await startPostgresServer();
    client = new Client({ connectionString: server.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await server?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the test PostgreSQL did not start');
    return value;
  };
  return {
    get url() {
      return started(server).url;
    },
    get admin() {
      return started(client);
    },
  };
}
