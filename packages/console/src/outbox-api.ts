import { jsonAnswer, notFound } from './console-answer.js';
import { logAction, type ConsoleContext } from './console-context.js';
import type { ConsoleOutbox } from './console-options.js';
import { entryDetail, entryRow } from './entry-view.js';
import { queryFilter, readActionBody, readEntrySelection, readPage } from './read-input.js';

/** Queue figures of an outbox, from its store's `stats()` (one query over indexes, whatever the depth). */
export async function outboxFigures(outbox: ConsoleOutbox): Promise<Record<string, number | string | null>> {
  const stats = await outbox.stats();
  return {
    pending: stats.pending,
    due: stats.due,
    claimed: stats.claimed,
    undelivered: stats.undelivered,
    oldestPendingEnqueuedAt: stats.oldestPendingEnqueuedAt?.toISOString() ?? null,
    oldestUndeliveredFailedAt: stats.oldestUndeliveredFailedAt?.toISOString() ?? null,
  };
}

/** `GET …/api/outboxes/:name/pending?topic=&limit=&cursor=`: one page of pending entries, oldest first. */
export async function listPending(context: ConsoleContext, outbox: ConsoleOutbox): Promise<Response> {
  const topic = context.query.get('topic');
  const page = await outbox.listPending({
    ...readPage(context.query, context.pageSize),
    ...(topic === null || topic === '' ? {} : { topic }),
  });
  const endpointOf = await context.endpointOf();
  return jsonAnswer(200, {
    entries: page.events.map((entry) => entryRow(entry, endpointOf)),
    nextCursor: page.nextCursor ?? null,
  });
}

/** `GET …/api/outboxes/:name/undelivered?topic=&since=&until=&limit=&cursor=`: one page, oldest failure first. */
export async function listUndelivered(context: ConsoleContext, outbox: ConsoleOutbox): Promise<Response> {
  const page = await outbox.listUndelivered({
    ...queryFilter(context.query),
    ...readPage(context.query, context.pageSize),
  });
  const endpointOf = await context.endpointOf();
  return jsonAnswer(200, {
    entries: page.events.map((entry) => entryRow(entry, endpointOf)),
    nextCursor: page.nextCursor ?? null,
  });
}

/** `GET …/api/outboxes/:name/entries/:id`: one entry in any state with every kept attempt. */
export async function showEntry(context: ConsoleContext, outbox: ConsoleOutbox, id: string): Promise<Response> {
  const entry = await outbox.getEntry(id);
  if (entry === undefined) throw notFound(`no entry '${id}'`);
  return jsonAnswer(200, entryDetail(entry, await context.endpointOf()));
}

/**
 * `POST …/api/outboxes/:name/redeliver` or `/purge` with `{ ids, confirm }` or `{ filter, confirm }`:
 * makes undelivered entries due again, or deletes them for good; answers `{ count }` and logs it.
 */
export async function actOnEntries(
  context: ConsoleContext,
  name: string,
  outbox: ConsoleOutbox,
  action: 'redeliver' | 'purge',
): Promise<Response> {
  const { selection, described } = readEntrySelection(await readActionBody(context.request));
  const count = action === 'redeliver' ? await outbox.redeliver(selection) : await outbox.deleteUndelivered(selection);
  logAction(context, { action, outbox: name, selection: described, count });
  return jsonAnswer(200, { action, count });
}
