import type { ConnectionOptions, NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';

/** A connection the caller owns, or the server URLs of one to open (`nats://host:4222`, a list). */
export type NatsConnectionSource = NatsConnection | string | readonly string[];

/**
 * The connection of a sink or transport: one it was given (never closed by it), or one it opens
 * from URLs on first use and drains on close. A failed open is not kept, so the next use tries
 * again.
 */
export class NatsConnectionHolder {
  readonly #given: NatsConnection | undefined;
  readonly #servers: readonly string[];
  readonly #options: Omit<ConnectionOptions, 'servers'>;
  #opened: Promise<NatsConnection> | undefined;

  constructor(source: NatsConnectionSource, options: Omit<ConnectionOptions, 'servers'> = {}) {
    if (typeof source === 'string') {
      this.#given = undefined;
      this.#servers = source.split(',').map((url) => url.trim());
    } else if (Array.isArray(source)) {
      this.#given = undefined;
      this.#servers = Array.from(source as readonly string[]);
    } else {
      this.#given = source as NatsConnection;
      this.#servers = [];
    }
    this.#options = options;
  }

  /** Whether the connection is the holder's own (opened from URLs). */
  get owned(): boolean {
    return this.#given === undefined;
  }

  /** The connection, opened now when it is the holder's own and not open yet. */
  get(): Promise<NatsConnection> {
    if (this.#given !== undefined) return Promise.resolve(this.#given);
    if (this.#opened === undefined) {
      const opening = connect({ maxReconnectAttempts: -1, ...this.#options, servers: [...this.#servers] });
      this.#opened = opening;
      opening.catch(() => {
        if (this.#opened === opening) this.#opened = undefined;
      });
    }
    return this.#opened;
  }

  /** Drains the holder's own connection, when it opened one; a given connection stays open. */
  async close(): Promise<void> {
    const opened = this.#opened;
    if (opened === undefined) return;
    const connection = await opened.catch(() => undefined);
    if (connection === undefined || connection.isClosed()) return;
    await connection.drain().catch(() => connection.close());
  }
}
