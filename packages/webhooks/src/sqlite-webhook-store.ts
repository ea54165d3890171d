import Database from 'better-sqlite3';
import { writeJson } from '@events-protocol/core';
import type { PublishedEvent } from '@events-protocol/publish';
import { toAttempt, toDelivery, type AttemptRow, type DeliveryRow } from './sqlite-webhook-rows.js';
import { prepareWebhookSchema } from './sqlite-webhook-schema.js';
import type { Subscription } from './subscription.js';
import { WebhookError, WebhookErrorCode } from './webhook-error.js';
import type { AttemptOutcome, AttemptRecord, Delivery, WebhookStore } from './webhook-store.js';

const leaseExpired =
  'LEASE_EXPIRED: the process making this attempt stopped (or lost its store) before recording an outcome';

/** Runs a synchronous database call as the store's promise: a thrown error becomes a rejection. */
function settle<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

/**
 * The embedded {@link WebhookStore}: better-sqlite3 in WAL mode, one transaction per state change,
 * `UNIQUE (subscription, event id)` so an event is delivered once per subscription.
 */
export class SqliteWebhookStore implements WebhookStore {
  readonly #db: Database.Database;

  /** @param options.filename a file path, or `:memory:` for tests. */
  constructor(options: { filename: string } | { database: Database.Database }) {
    this.#db = 'database' in options ? options.database : new Database(options.filename);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = FULL');
    this.#db.pragma('busy_timeout = 5000');
    prepareWebhookSchema(this.#db);
  }

  insertSubscription(subscription: Subscription): Promise<void> {
    return settle(() => {
      try {
        this.#db
          .prepare(
            'INSERT INTO webhook_subscriptions (id, event_type, target_url, document, active) VALUES (?, ?, ?, ?, ?)',
          )
          .run(
            subscription.id,
            subscription.eventType,
            subscription.targetUrl,
            JSON.stringify(subscription),
            subscription.active ? 1 : 0,
          );
      } catch (error) {
        if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
          throw new WebhookError(
            WebhookErrorCode.InvalidSubscription,
            `a subscription with id '${subscription.id}' exists`,
            { issues: [{ path: 'id', message: 'already exists' }], cause: error },
          );
        }
        throw this.#duplicate(subscription, error);
      }
    });
  }

  replaceSubscription(subscription: Subscription): Promise<void> {
    return settle(() => {
      try {
        this.#db
          .prepare(
            'UPDATE webhook_subscriptions SET event_type = ?, target_url = ?, document = ?, active = ? WHERE id = ?',
          )
          .run(
            subscription.eventType,
            subscription.targetUrl,
            JSON.stringify(subscription),
            subscription.active ? 1 : 0,
            subscription.id,
          );
      } catch (error) {
        throw this.#duplicate(subscription, error);
      }
    });
  }

  /** The unique index on (event type, target URL) refused a write: name the subscription in the way. */
  #duplicate(subscription: Subscription, error: unknown): unknown {
    if ((error as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') return error;
    const existing = this.#db
      .prepare('SELECT id FROM webhook_subscriptions WHERE event_type = ? AND target_url = ?')
      .get(subscription.eventType, subscription.targetUrl) as { id: string } | undefined;
    if (existing === undefined) return error;
    return new WebhookError(
      WebhookErrorCode.SubscriptionExists,
      `subscription '${existing.id}' already delivers ${subscription.eventType} to ${subscription.targetUrl}`,
      { existingId: existing.id, cause: error },
    );
  }

  getSubscription(id: string): Promise<Subscription | undefined> {
    return settle(() => {
      const row = this.#db.prepare('SELECT document FROM webhook_subscriptions WHERE id = ?').get(id) as
        { document: string } | undefined;
      return row === undefined ? undefined : (JSON.parse(row.document) as Subscription);
    });
  }

  listSubscriptions(filter: { eventType?: string } = {}): Promise<Subscription[]> {
    return settle(() => {
      const rows = (
        filter.eventType === undefined
          ? this.#db.prepare('SELECT document FROM webhook_subscriptions ORDER BY id').all()
          : this.#db
              .prepare('SELECT document FROM webhook_subscriptions WHERE event_type = ? ORDER BY id')
              .all(filter.eventType)
      ) as { document: string }[];
      return rows.map((row) => JSON.parse(row.document) as Subscription);
    });
  }

  deleteSubscription(id: string): Promise<boolean> {
    return settle(() => {
      return this.#db.prepare('DELETE FROM webhook_subscriptions WHERE id = ?').run(id).changes > 0;
    });
  }

  activeSubscriptionsFor(eventType: string): Promise<Subscription[]> {
    return settle(() => {
      const rows = this.#db
        .prepare('SELECT document FROM webhook_subscriptions WHERE event_type = ? AND active = 1 ORDER BY id')
        .all(eventType) as { document: string }[];
      return rows.map((row) => JSON.parse(row.document) as Subscription);
    });
  }

  createDeliveries(event: PublishedEvent, subscriptionIds: readonly string[], now: number): Promise<Delivery[]> {
    return settle(() => {
      const insert = this.#db.prepare(
        `INSERT INTO webhook_deliveries (subscription_id, event_id, event_type, event, state, next_attempt_at, created_at)
         VALUES (?, ?, ?, ?, 'pending', ?, ?) ON CONFLICT (subscription_id, event_id) DO NOTHING RETURNING *`,
      );
      const text = writeJson(event);
      const created = this.#db.transaction(() =>
        subscriptionIds.flatMap((subscriptionId) => {
          const row = insert.get(subscriptionId, event.id, event.name, text, now, now) as DeliveryRow | undefined;
          return row === undefined ? [] : [toDelivery(row)];
        }),
      )();
      return created;
    });
  }

  /**
   * Claims due deliveries. A delivery whose earlier claim lapsed without an attempt being recorded
   * (its process died mid-attempt) gets that attempt recorded now as `LEASE_EXPIRED` and counted,
   * in the same transaction, so interrupted attempts spend the retry budget like failed ones.
   */
  claimDue(now: number, leaseMs: number, limit: number, ids?: readonly number[]): Promise<Delivery[]> {
    return settle(() => {
      const only = ids === undefined ? '' : `AND id IN (${ids.map(() => '?').join(',') || 'NULL'})`;
      const claim = this.#db.transaction(() => {
        const due = this.#db
          .prepare(
            `SELECT id FROM webhook_deliveries
             WHERE state IN ('pending', 'failed') AND next_attempt_at <= ? AND lease_until <= ? ${only}
             ORDER BY next_attempt_at, id LIMIT ?`,
          )
          .all(now, now, ...(ids ?? []), limit) as { id: number }[];
        const lapsed = this.#db.prepare(
          `INSERT INTO webhook_attempts (delivery_id, subscription_id, event_id, attempt, requested_at, duration_ms, error)
           SELECT id, subscription_id, event_id, attempts + 1, claimed_at, MAX(0, lease_until - claimed_at), ?
           FROM webhook_deliveries WHERE id = ? AND lease_until > 0`,
        );
        const take = this.#db.prepare(
          `UPDATE webhook_deliveries SET attempts = attempts + (lease_until > 0), lease_until = ?, claimed_at = ?
           WHERE id = ? RETURNING *`,
        );
        return due.map(({ id }) => {
          lapsed.run(leaseExpired, id);
          return toDelivery(take.get(now + leaseMs, now, id) as DeliveryRow);
        });
      });
      return claim().sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || a.id - b.id);
    });
  }

  giveUp(deliveryId: number): Promise<void> {
    return settle(() => {
      this.#db
        .prepare("UPDATE webhook_deliveries SET state = 'given_up', next_attempt_at = 0, lease_until = 0 WHERE id = ?")
        .run(deliveryId);
    });
  }

  recordAttempt(attempt: AttemptRecord, outcome: AttemptOutcome): Promise<void> {
    return settle(() => {
      this.#db.transaction(() => {
        this.#db
          .prepare(
            `INSERT INTO webhook_attempts (delivery_id, subscription_id, event_id, attempt, requested_at, duration_ms, status, response_excerpt, error)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            attempt.deliveryId,
            attempt.subscriptionId,
            attempt.eventId,
            attempt.attempt,
            attempt.requestedAt,
            Math.round(attempt.durationMs),
            attempt.status ?? null,
            attempt.responseExcerpt ?? null,
            attempt.error ?? null,
          );
        this.#db
          .prepare(
            'UPDATE webhook_deliveries SET state = ?, attempts = ?, next_attempt_at = ?, lease_until = 0 WHERE id = ?',
          )
          .run(outcome.state, attempt.attempt, outcome.nextAttemptAt ?? 0, attempt.deliveryId);
      })();
    });
  }

  listDeliveries(filter: { eventId?: string; subscriptionId?: string }): Promise<Delivery[]> {
    return settle(() => {
      const rows = this.#db
        .prepare(
          `SELECT * FROM webhook_deliveries WHERE (? IS NULL OR event_id = ?) AND (? IS NULL OR subscription_id = ?) ORDER BY id`,
        )
        .all(
          filter.eventId ?? null,
          filter.eventId ?? null,
          filter.subscriptionId ?? null,
          filter.subscriptionId ?? null,
        ) as DeliveryRow[];
      return rows.map(toDelivery);
    });
  }

  listAttempts(filter: { deliveryId?: number; eventId?: string; subscriptionId?: string }): Promise<AttemptRecord[]> {
    return settle(() => {
      const rows = this.#db
        .prepare(
          `SELECT * FROM webhook_attempts WHERE (? IS NULL OR delivery_id = ?) AND (? IS NULL OR event_id = ?)
           AND (? IS NULL OR subscription_id = ?) ORDER BY id`,
        )
        .all(
          filter.deliveryId ?? null,
          filter.deliveryId ?? null,
          filter.eventId ?? null,
          filter.eventId ?? null,
          filter.subscriptionId ?? null,
          filter.subscriptionId ?? null,
        ) as AttemptRow[];
      return rows.map(toAttempt);
    });
  }

  nextDueAt(): Promise<number | undefined> {
    return settle(() => {
      const row = this.#db
        .prepare(
          `SELECT MIN(MAX(next_attempt_at, lease_until)) AS due FROM webhook_deliveries WHERE state IN ('pending', 'failed')`,
        )
        .get() as { due: number | null };
      return row.due ?? undefined;
    });
  }

  close(): Promise<void> {
    return settle(() => {
      this.#db.close();
    });
  }
}
