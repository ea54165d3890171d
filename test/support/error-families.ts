import {
  EventClientError,
  EventClientErrorCode,
  EventResponseError,
  EventTimeoutError,
  FailedDependencyError,
  TransportTimeoutError,
  isEventClientError,
} from '@events-protocol/client';
import { EgressError, EgressErrorCode, isEgressError } from '@events-protocol/client/egress';
import { ConformanceError, ConformanceErrorCode, isConformanceError } from '@events-protocol/conformance';
import { ConsoleError, ConsoleErrorCode, isConsoleError } from '@events-protocol/console';
import {
  EventBuilder,
  EventError,
  EventErrorType,
  JsonDepthError,
  JsonNumberError,
  JsonReadError,
  JsonReadErrorCode,
  JsonValueError,
  JsonValueErrorCode,
  PublishedEventError,
  PublishedEventErrorCode,
  RetryScheduleError,
  RetryScheduleErrorCode,
  isEventError,
  isJsonReadError,
  isJsonValueError,
  isPublishedEventError,
  isRetryScheduleError,
  type ErrorCodeName,
} from '@events-protocol/core';
import {
  FaultPlanError,
  FaultPlanErrorCode,
  InjectedFaultError,
  InjectedFaultErrorCode,
  isFaultPlanError,
  isInjectedFaultError,
} from '@events-protocol/fault-injection';
import { NatsError, NatsErrorCode, isNatsError } from '@events-protocol/nats';
import { OutboxError, OutboxErrorCode, isOutboxError } from '@events-protocol/outbox';
import { PublishAssertionError, PublishError, PublishErrorCode, isPublishError } from '@events-protocol/publish';
import { ServerError, ServerErrorCode, isServerError } from '@events-protocol/server';
import { TopicsError, TopicsErrorCode, isTopicsError } from '@events-protocol/topics';
import { WebhookError, WebhookErrorCode, isWebhookError } from '@events-protocol/webhooks';

/** One error family as the packages export it: its guard, its code table, and errors of it. */
export interface ErrorFamilyCase {
  readonly family: string;
  readonly packageName: string;
  /** `undefined` for EventError, whose codes are the application's own. */
  readonly codes: Readonly<Record<string, ErrorCodeName>> | undefined;
  readonly guard: (value: unknown) => boolean;
  /** Errors of the family: the class itself and its subclasses. */
  readonly samples: readonly Error[];
}

const request = EventBuilder.request({ name: 'user:get', payload: { userId: '42' } });

/** Every error family of the packages. */
export const errorFamilies: readonly ErrorFamilyCase[] = [
  {
    family: 'EventError',
    packageName: 'core',
    codes: undefined,
    guard: isEventError,
    samples: [new EventError(EventErrorType.NotFound, { code: 'USER_NOT_FOUND' })],
  },
  {
    family: 'PublishedEventError',
    packageName: 'core',
    codes: PublishedEventErrorCode,
    guard: isPublishedEventError,
    samples: [new PublishedEventError('the payload of order:placed does not match its contract', { issues: [] })],
  },
  {
    family: 'RetryScheduleError',
    packageName: 'core',
    codes: RetryScheduleErrorCode,
    guard: isRetryScheduleError,
    samples: [new RetryScheduleError('UNKNOWN_SCHEDULE', 'no such schedule')],
  },
  {
    family: 'JsonReadError',
    packageName: 'core',
    codes: JsonReadErrorCode,
    guard: isJsonReadError,
    samples: [
      new JsonReadError('JSON_TOO_DEEP', 'too deep'),
      new JsonDepthError('JSON nested deeper than 2 levels'),
      new JsonNumberError('1e400 is beyond a double'),
    ],
  },
  {
    family: 'JsonValueError',
    packageName: 'core',
    codes: JsonValueErrorCode,
    guard: isJsonValueError,
    samples: [new JsonValueError(['payload', 'items', 2], 'is a function')],
  },
  {
    family: 'EventClientError',
    packageName: 'client',
    codes: EventClientErrorCode,
    guard: isEventClientError,
    samples: [
      new EventClientError('INVALID_OPTIONS', 'bad options'),
      new EventResponseError({
        kind: 'error',
        request,
        attempts: 1,
        event: EventBuilder.errorFor(request, EventErrorType.NotFound, { code: 'USER_NOT_FOUND' }),
        errorType: EventErrorType.NotFound,
      }),
      new EventTimeoutError({ kind: 'timeout', request, attempts: 1, timeoutMs: 100 }),
      new FailedDependencyError({ kind: 'failedDependency', request, attempts: 1, reason: 'unreachable' }),
    ],
  },
  {
    family: 'EgressError',
    packageName: 'client',
    codes: EgressErrorCode,
    guard: isEgressError,
    samples: [
      new EgressError({ code: 'TIMEOUT', phase: 'connect', message: 'not connected within 100 ms' }),
      new TransportTimeoutError('no answer within 100 ms'),
    ],
  },
  {
    family: 'ServerError',
    packageName: 'server',
    codes: ServerErrorCode,
    guard: isServerError,
    samples: [new ServerError('INVALID_OPTIONS', 'bad options')],
  },
  {
    family: 'PublishError',
    packageName: 'publish',
    codes: PublishErrorCode,
    guard: isPublishError,
    samples: [new PublishError('INVALID_OPTIONS', 'bad options'), new PublishAssertionError('expected order:placed')],
  },
  {
    family: 'OutboxError',
    packageName: 'outbox',
    codes: OutboxErrorCode,
    guard: isOutboxError,
    samples: [new OutboxError('INVALID_OPTIONS', 'bad options')],
  },
  {
    family: 'WebhookError',
    packageName: 'webhooks',
    codes: WebhookErrorCode,
    guard: isWebhookError,
    samples: [new WebhookError('INVALID_OPTIONS', 'bad options')],
  },
  {
    family: 'NatsError',
    packageName: 'nats',
    codes: NatsErrorCode,
    guard: isNatsError,
    samples: [new NatsError('UNREACHABLE', 'no server answered')],
  },
  {
    family: 'TopicsError',
    packageName: 'topics',
    codes: TopicsErrorCode,
    guard: isTopicsError,
    samples: [new TopicsError('INVALID_OPTIONS', 'bad options')],
  },
  {
    family: 'ConsoleError',
    packageName: 'console',
    codes: ConsoleErrorCode,
    guard: isConsoleError,
    samples: [new ConsoleError('INVALID_OPTIONS', 'bad options')],
  },
  {
    family: 'ConformanceError',
    packageName: 'conformance',
    codes: ConformanceErrorCode,
    guard: isConformanceError,
    samples: [new ConformanceError('INVALID_OPTIONS', 'bad options')],
  },
  {
    family: 'FaultPlanError',
    packageName: 'fault-injection',
    codes: FaultPlanErrorCode,
    guard: isFaultPlanError,
    samples: [new FaultPlanError('every rate must be between 0 and 1')],
  },
  {
    family: 'InjectedFaultError',
    packageName: 'fault-injection',
    codes: InjectedFaultErrorCode,
    guard: isInjectedFaultError,
    samples: [new InjectedFaultError('injected fault')],
  },
];
