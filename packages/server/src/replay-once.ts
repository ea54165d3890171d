import { EventErrorType, EventMessageCode, type RequestEvent, type ResponseEvent } from '@events-protocol/core';
import type { EventLogger } from './event-logger.js';
import { outOfTimeAnswer } from './handler-answers.js';
import { MemoryReplayStore } from './memory-replay-store.js';
import type { ReplayStore } from './replay-store.js';

/** How idempotent replay behaves. */
export interface ReplayOptions {
  /** Where answers are kept; a bounded in-memory store by default (one process). */
  store?: ReplayStore;
  /** How long an answer is replayed, in ms; 24 hours by default. */
  retentionMs?: number;
}

/** Replay options with their defaults, as the processor holds them. */
export interface ResolvedReplayOptions {
  readonly store: ReplayStore;
  readonly retentionMs: number;
  /** How long a claim holds before another instance may run the event (the handler timeout and a margin). */
  readonly leaseMs: number;
}

/** Fills in the defaults of {@link ReplayOptions}. */
export function resolveReplayOptions(options: ReplayOptions, handlerTimeoutMs: number): ResolvedReplayOptions {
  return {
    store: options.store ?? new MemoryReplayStore(),
    retentionMs: options.retentionMs ?? 24 * 60 * 60 * 1000,
    leaseMs: handlerTimeoutMs + 5000,
  };
}

// Outcomes that say nothing about the event itself: a retry must run it, not see them again.
const transientCodes: ReadonlySet<unknown> = new Set([
  EventMessageCode.HandlerTimeout,
  EventMessageCode.DeadlineExceeded,
  EventMessageCode.Overloaded,
]);

function isTransient(event: RequestEvent, answer: ResponseEvent): boolean {
  if (answer.name !== `${event.name}:${EventErrorType.Error}`) return false;
  const payload = answer.payload as { code?: unknown } | null;
  return transientCodes.has(payload?.code);
}

function replayed(answer: ResponseEvent): ResponseEvent {
  return { ...answer, metadata: { ...answer.metadata, replayed: true } };
}

const pollMs = 25;

/**
 * Runs an event at most once per id within the retention: the first arrival runs, a later one
 * gets the stored answer (with `metadata.replayed: true`), a concurrent one waits for the first.
 * When the store fails, the event runs without replay (logged): availability over a stored answer.
 */
export async function answerOnce(
  options: ResolvedReplayOptions,
  event: RequestEvent,
  logger: EventLogger,
  run: () => ResponseEvent | Promise<ResponseEvent>,
): Promise<ResponseEvent> {
  const key = `${event.name}\n${event.version}\n${event.id}`;
  const waitUntil = Date.now() + options.leaseMs;
  try {
    for (;;) {
      const claim = await options.store.claim(key, options.leaseMs);
      if (claim.status === 'answered') return replayed(claim.answer);
      if (claim.status === 'claimed') break;
      if (Date.now() >= waitUntil) return outOfTimeAnswer(event, 'timeout', options.leaseMs);
      await (options.store.changed?.(key, pollMs * 4) ?? new Promise((resolve) => setTimeout(resolve, pollMs)));
    }
  } catch (error) {
    logger.error(
      { err: error, event: event.name, id: event.id },
      'replay store failed: running the event without replay',
    );
    return run();
  }
  const answer = await run();
  try {
    if (isTransient(event, answer)) await options.store.release(key);
    else await options.store.complete(key, answer, options.retentionMs);
  } catch (error) {
    logger.error({ err: error, event: event.name, id: event.id }, 'replay store failed to keep an answer');
  }
  return answer;
}
