import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { NatsError, NatsErrorCode } from './nats-error.js';
import { describeNatsError } from './nats-failure.js';
import { assessStreamDurability, type DurabilityReport } from './stream-durability.js';

/** A pino-compatible logger, as far as the NATS package writes to it. */
export interface NatsLogger {
  warn(object: Record<string, unknown>, message: string): void;
  error?(object: Record<string, unknown>, message: string): void;
}

/** What {@link checkStreamDurability} checks and where it reports. */
export interface StreamDurabilityOptions {
  readonly connection: NatsConnection;
  /** The stream to check. */
  readonly stream: string;
  /** Each risk is logged at `warn`; nothing is logged without a logger. */
  readonly logger?: NatsLogger | undefined;
  /** The servers' `jetstream { sync_interval }`, when the operator knows it (`always`). */
  readonly syncInterval?: string | undefined;
  /** A JetStream manager to reuse; one is made from the connection otherwise. */
  readonly manager?: JetStreamManager | undefined;
}

/**
 * Reads a stream's info and warns when an acknowledged message could be lost: memory storage,
 * fewer than three replicas, or servers that do not sync every write (`sync_interval: always`,
 * nats-server 2.10 and later). Run it at start-up; the report is returned for tests and health
 * pages.
 *
 * @example
 * const report = await checkStreamDurability({ connection, stream: 'ORDERS', logger, syncInterval: 'always' });
 *
 * @throws {NatsError} `UNREACHABLE` when the stream's info cannot be read (no such stream, no
 * JetStream).
 */
export async function checkStreamDurability(options: StreamDurabilityOptions): Promise<DurabilityReport> {
  const { connection, stream, logger } = options;
  let report: DurabilityReport;
  try {
    const manager = options.manager ?? (await jetstreamManager(connection));
    const info = await manager.streams.info(stream);
    report = assessStreamDurability(info, {
      serverVersion: connection.info?.version,
      syncInterval: options.syncInterval,
    });
  } catch (error) {
    throw new NatsError(
      NatsErrorCode.Unreachable,
      `cannot read the info of JetStream stream ${stream}: ${describeNatsError(error)}`,
      { cause: error },
    );
  }
  for (const risk of report.risks) logger?.warn({ stream, risk: risk.code }, risk.message);
  return report;
}
