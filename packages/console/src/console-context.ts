import type { ConsoleLogger } from './console-logger.js';
import type { OperatorIdentity } from './console-options.js';
import type { EndpointOfTopic } from './entry-view.js';

/** What one authorized API request's handler works with. */
export interface ConsoleContext {
  readonly request: Request;
  readonly query: URLSearchParams;
  readonly operator: OperatorIdentity;
  readonly pageSize: number;
  readonly logger: ConsoleLogger;
  /** Names the endpoint of webhook deliveries; built for the request, from the subscriptions. */
  readonly endpointOf: () => Promise<EndpointOfTopic>;
}

/** What an action's log line holds besides the operator: the action, what it applied to and how many. */
export interface ActionRecord {
  readonly action: string;
  readonly outbox?: string;
  readonly endpoint?: string;
  readonly selection?: unknown;
  readonly count: number;
}

/** Logs an applied action at `info`, with the operator who asked for it. */
export function logAction(context: ConsoleContext, record: ActionRecord): void {
  context.logger.info({ operator: context.operator, ...record }, `console: ${record.action} (${record.count})`);
}
