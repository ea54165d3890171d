import { Client, type ClientConfig } from 'pg';
import type { OutboxLogger } from '../outbox-logger.js';

/** How long a listener that could not connect waits before it tries again: doubling, up to 5 s. */
const firstRetryMs = 100;
const lastRetryMs = 5000;

/** What a {@link PostgresEntryListener} needs. */
export interface PostgresEntryListenerOptions {
  /** How to reach the database: the store's pool's settings. */
  connection: ClientConfig;
  /** The channel enqueues notify. */
  channel: string;
  /** `false`: never connect, so waits last their whole timeout. */
  listen: boolean;
  /** Where a lost or refused listening connection is reported (at `warn`). */
  logger: OutboxLogger;
}

/**
 * The store's one listening connection: `LISTEN` on the table's channel, shared by every
 * `waitForEntries` of the store. It connects on the first wait, reconnects on a later wait after a
 * loss (at most every few seconds while the server refuses), and never throws or lets its client's
 * `'error'` go unhandled: while it cannot listen, waits simply last until their timeout, which is
 * the polling a relay did before.
 *
 * A notification that arrives while nobody waits is not lost: a claim {@link noteClaim notes}
 * how many wake-ups it has seen when it starts, and a wait that begins after more arrived ends
 * at once (the commit came too late for that claim's snapshot).
 */
export class PostgresEntryListener {
  readonly #options: PostgresEntryListenerOptions;
  readonly #waiters = new Set<() => void>();
  #client: Client | undefined;
  #connecting: Promise<void> | undefined;
  #closed = false;
  /** Notifications seen, plus wake-ups of the listener's own (a loss, a late LISTEN). */
  #wakeUps = 0;
  /** {@link #wakeUps} when the latest claim started, until a wait used it up. */
  #seenByClaim: number | undefined;
  /** Whether a claim ran while no connection listened: its commits may never be notified to us. */
  #claimedDeaf = false;
  #retryAt = 0;
  #retryMs = firstRetryMs;

  constructor(options: PostgresEntryListenerOptions) {
    this.#options = options;
  }

  /** Whether the connection listens now. */
  get listening(): boolean {
    return this.#client !== undefined;
  }

  /** Called as a claim starts, so a wait after it knows whether it missed a notification. */
  noteClaim(): void {
    this.#seenByClaim = this.#wakeUps;
    if (this.#client === undefined) this.#claimedDeaf = true;
  }

  /** Resolves on a notification, after `timeoutMs`, on `signal`, or on close; never rejects. */
  wait(timeoutMs: number, signal: AbortSignal): Promise<void> {
    if (this.#closed || signal.aborted || !(timeoutMs > 0)) return Promise.resolve();
    if (this.#seenByClaim !== undefined && this.#seenByClaim !== this.#wakeUps) {
      this.#seenByClaim = undefined;
      return Promise.resolve();
    }
    this.#listen();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.#waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      signal.addEventListener('abort', done, { once: true });
      this.#waiters.add(done);
    });
  }

  /** Ends every wait and the listening connection. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#wake();
    await this.#connecting;
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }

  #wake(): void {
    this.#wakeUps++;
    for (const done of [...this.#waiters]) done();
  }

  #listen(): void {
    if (!this.#options.listen || this.#client !== undefined || this.#connecting !== undefined || this.#closed) return;
    if (Date.now() < this.#retryAt) return;
    this.#connecting = this.#connect().finally(() => {
      this.#connecting = undefined;
    });
  }

  async #connect(): Promise<void> {
    const client = new Client({ ...this.#options.connection, keepAlive: true });
    // Listened to from the start, so a server that drops the connection at any moment cannot
    // crash the process with an unhandled 'error'.
    client.on('error', (error) => this.#lost(client, error));
    client.on('end', () => this.#lost(client));
    client.on('notification', () => this.#wake());
    try {
      await client.connect();
      await client.query(`LISTEN "${this.#options.channel}"`);
    } catch (error) {
      this.#retryAt = Date.now() + this.#retryMs;
      this.#retryMs = Math.min(this.#retryMs * 2, lastRetryMs);
      this.#options.logger.warn({ err: error, store: 'postgres' }, 'outbox store could not listen for new entries');
      await client.end().catch(() => undefined);
      return;
    }
    if (this.#closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.#client = client;
    this.#retryMs = firstRetryMs;
    // A commit between a claim and this LISTEN was notified to nobody: let waiters claim again.
    if (this.#claimedDeaf) {
      this.#claimedDeaf = false;
      this.#wake();
    }
  }

  #lost(client: Client, error?: Error): void {
    if (this.#client !== client) return;
    this.#client = undefined;
    if (!this.#closed) {
      this.#options.logger.warn(
        { err: error, store: 'postgres' },
        'outbox store lost its listening PostgreSQL connection',
      );
    }
    void client.end().catch(() => undefined);
    // Notifications may be missed until a wait listens again: let every waiter claim now.
    this.#wake();
  }
}
