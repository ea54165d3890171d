import { ConsoleError, ConsoleErrorCode } from './console-error.js';
import { silentConsoleLogger, type ConsoleLogger } from './console-logger.js';
import type { ConsoleOutbox, OperatorConsoleOptions } from './console-options.js';
import { maxPageSize } from './read-input.js';

/** The console's options, checked once at construction. */
export interface ConsoleSettings {
  readonly options: OperatorConsoleOptions;
  readonly basePath: string;
  readonly pageSize: number;
  readonly logger: ConsoleLogger;
  readonly outboxes: ReadonlyMap<string, ConsoleOutbox>;
}

function invalid(message: string): ConsoleError {
  return new ConsoleError(ConsoleErrorCode.InvalidOptions, message);
}

function basePathOf(value: unknown): string {
  if (value === undefined || value === '' || value === '/') return '';
  if (typeof value !== 'string' || !/^(\/[A-Za-z0-9._~-]+)+\/?$/.test(value)) {
    throw invalid(`basePath must be a path such as '/ops', got ${JSON.stringify(value)}`);
  }
  return value.endsWith('/') ? value.slice(0, -1) : value;
}

/**
 * Checks the options: `authorize` is required (there is no open console), names are usable in a
 * URL, the topics name one of the outboxes. A webhook dispatcher's outbox not listed is added as `webhooks`.
 *
 * @throws {ConsoleError} `INVALID_OPTIONS` naming the option.
 */
export function consoleSettingsOf(options: OperatorConsoleOptions): ConsoleSettings {
  // Checked at run time too: JavaScript callers and configuration reach here untyped.
  const given = options as Partial<Record<keyof OperatorConsoleOptions, unknown>> | null | undefined;
  if (typeof given !== 'object' || given === null) throw invalid('the console needs options');
  if (typeof given.authorize !== 'function') {
    throw invalid(
      'the console needs an authorize(request) function: it shows and redelivers events, so it is never open to everyone',
    );
  }
  const pageSize = options.pageSize ?? 50;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > maxPageSize) {
    throw invalid(`pageSize must be an integer from 1 to ${maxPageSize}, got ${pageSize}`);
  }
  if (typeof given.outboxes !== 'object' || given.outboxes === null) {
    throw invalid('outboxes must be an object of outboxes by name, e.g. { topics: publisher.outbox }');
  }
  const outboxes = new Map<string, ConsoleOutbox>();
  for (const [name, outbox] of Object.entries(options.outboxes)) {
    if (!/^[A-Za-z0-9._~-]{1,100}$/.test(name)) throw invalid(`outbox name '${name}' must be letters, digits, . _ ~ -`);
    if (typeof (outbox as Partial<ConsoleOutbox> | null)?.listUndelivered !== 'function')
      throw invalid(`outboxes.${name} is not an outbox`);
    outboxes.set(name, outbox);
  }
  const dispatcherOutbox = options.webhooks?.dispatcher?.outbox;
  if (dispatcherOutbox !== undefined && ![...outboxes.values()].includes(dispatcherOutbox)) {
    if (outboxes.has('webhooks')) throw invalid("outboxes.webhooks is not the webhook dispatcher's outbox");
    outboxes.set('webhooks', dispatcherOutbox);
  }
  if (options.topics !== undefined && !outboxes.has(options.topics.outbox)) {
    throw invalid(`topics.outbox names '${options.topics.outbox}', which is not one of the outboxes`);
  }
  return {
    options,
    basePath: basePathOf(options.basePath),
    pageSize,
    logger: options.logger ?? silentConsoleLogger,
    outboxes,
  };
}
