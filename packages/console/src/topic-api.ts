import { jsonAnswer } from './console-answer.js';
import type { ConsoleContext } from './console-context.js';
import type { ConsoleOutbox, ConsoleTopic, ConsoleTopics } from './console-options.js';

/** A target as shown: a URL's user and password masked, anything else as configured. */
export function maskedEndpoint(endpoint: string): string {
  try {
    const url = new URL(endpoint);
    if (url.username === '' && url.password === '') return endpoint;
    url.username = url.username === '' ? '' : '***';
    url.password = url.password === '' ? '' : '***';
    return url.href;
  } catch {
    return endpoint;
  }
}

/** Counts at most one page's worth: `{ count, more }`, so a topic with 10,000 entries costs one page. */
async function boundedCount(read: (limit: number) => Promise<{ events: unknown[] }>, limit: number) {
  const page = await read(limit + 1);
  return { count: Math.min(page.events.length, limit), more: page.events.length > limit };
}

/**
 * `GET …/api/topics`: every topic with its target and its outbox's pending and undelivered
 * entries, each counted up to one page (`more` says there are others).
 */
export async function listTopics(
  context: ConsoleContext,
  topics: ConsoleTopics,
  outbox: ConsoleOutbox,
): Promise<Response> {
  const limit = context.pageSize;
  const rows = await Promise.all(
    topics.targets.map(async (target) => {
      const { topic, type, endpoint }: ConsoleTopic = typeof target === 'string' ? { topic: target } : target;
      const [pending, undelivered] = await Promise.all([
        boundedCount((size) => outbox.listPending({ topic, limit: size }), limit),
        boundedCount((size) => outbox.listUndelivered({ topic, limit: size }), limit),
      ]);
      return {
        topic,
        type: type ?? null,
        endpoint: endpoint === undefined ? null : maskedEndpoint(endpoint),
        pending,
        undelivered,
      };
    }),
  );
  return jsonAnswer(200, { outbox: topics.outbox, topics: rows });
}
