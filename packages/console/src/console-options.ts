import type {
  OutboxStats,
  ListPendingOptions,
  ListUndeliveredOptions,
  Page,
  PendingEvent,
  RedeliverSelection,
  StoredEntry,
  UndeliveredPage,
} from '@events-protocol/outbox';
import type { WebhookDispatcher, WebhookSubscriptions } from '@events-protocol/webhooks';
import type { ConsoleLogger } from './console-logger.js';

/** Who an authorized request acts as: named in the log of every action. */
export interface OperatorIdentity {
  /** The operator's name or id, as the log shows it. */
  readonly name: string;
  /** Anything else the application wants logged with the operator's actions (a role, a session id). */
  readonly [detail: string]: unknown;
}

/**
 * A refused request: 401 (not authenticated; `challenge` becomes the `WWW-Authenticate` header,
 * e.g. `Basic realm="operators"`, so a browser asks for credentials) or 403 (authenticated, not allowed).
 */
export interface ConsoleRefusal {
  readonly refuse: 401 | 403;
  readonly challenge?: string;
}

/**
 * The application's own authorization, asked for every request (the page, its assets and the
 * API): an identity lets it through, `false` answers 401, a {@link ConsoleRefusal} 401 or 403.
 */
export type ConsoleAuthorize = (
  request: Request,
) => OperatorIdentity | false | ConsoleRefusal | Promise<OperatorIdentity | false | ConsoleRefusal>;

/**
 * What the console needs of an outbox: any `Outbox` (of topics, or a webhook dispatcher's
 * `dispatcher.outbox`) has it.
 */
export interface ConsoleOutbox {
  readonly store: { readonly name: string };
  /** Queue depth, claims, the oldest pending entry and the undelivered depth, in one query. */
  stats(): Promise<OutboxStats>;
  listPending(options?: ListPendingOptions): Promise<Page<PendingEvent>>;
  listUndelivered(options?: ListUndeliveredOptions): Promise<UndeliveredPage>;
  getEntry(id: string): Promise<StoredEntry | undefined>;
  redeliver(selection: RedeliverSelection): Promise<number>;
  deleteUndelivered(selection: RedeliverSelection): Promise<number>;
}

/** A topic as the console lists it: its name, and where its events go when known. */
export interface ConsoleTopic {
  readonly topic: string;
  /** The target type (`http`, `redis`, `events`, `jetstream`…). */
  readonly type?: string;
  /** The target; user and password in a URL are masked before it is shown. */
  readonly endpoint?: string;
}

/** The topics the console lists, and the outbox they are delivered through. */
export interface ConsoleTopics {
  /** The name, in {@link OperatorConsoleOptions.outboxes}, of the topics' outbox. */
  readonly outbox: string;
  /** A `DurableTopicPublisher`'s `topics`, or a topics configuration's `topics` (with their targets). */
  readonly targets: readonly (string | ConsoleTopic)[];
}

/** The webhook endpoints the console shows and acts on. */
export interface ConsoleWebhooks {
  readonly subscriptions: WebhookSubscriptions;
  /** The dispatcher: its outbox's deliveries are named by endpoint in the lists. */
  readonly dispatcher?: WebhookDispatcher;
}

/** How {@link createOperatorConsole} is set up. */
export interface OperatorConsoleOptions {
  /** Decides who may see and act; required. See {@link ConsoleAuthorize}. */
  readonly authorize: ConsoleAuthorize;
  /** Where the console is mounted, e.g. `/ops`; `''` (the root) by default. */
  readonly basePath?: string;
  /** The outboxes shown, by name: e.g. `{ topics: publisher.outbox, webhooks: dispatcher.outbox }`. */
  readonly outboxes: Readonly<Record<string, ConsoleOutbox>>;
  readonly webhooks?: ConsoleWebhooks;
  readonly topics?: ConsoleTopics;
  /** A pino-compatible logger: every action is logged at `info`, refusals at `warn`. Silent by default. */
  readonly logger?: ConsoleLogger;
  /** Entries per page when the request names no `limit`; 50 by default, at most 500. */
  readonly pageSize?: number;
}
