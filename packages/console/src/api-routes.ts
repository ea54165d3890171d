import { ApiRefusal, jsonAnswer, notFound } from './console-answer.js';
import type { ConsoleContext } from './console-context.js';
import type { ConsoleSettings } from './console-settings.js';
import { actOnEndpoint, listEndpoints, showEndpoint } from './endpoint-api.js';
import { actOnEntries, listPending, listUndelivered, outboxFigures, showEntry } from './outbox-api.js';
import { listTopics } from './topic-api.js';

function methodNotAllowed(allowed: 'GET' | 'POST'): ApiRefusal {
  return new ApiRefusal(405, 'METHOD_NOT_ALLOWED', `use ${allowed} here`);
}

function expect(context: ConsoleContext, method: 'GET' | 'POST'): void {
  const actual = context.request.method === 'HEAD' ? 'GET' : context.request.method;
  if (actual !== method) throw methodNotAllowed(method);
}

/** The name the webhook dispatcher's outbox goes by, when the console has one. */
function webhooksOutboxName(settings: ConsoleSettings): string | undefined {
  const outbox = settings.options.webhooks?.dispatcher?.outbox;
  return [...settings.outboxes].find(([, candidate]) => candidate === outbox)?.[0];
}

async function overview(context: ConsoleContext, settings: ConsoleSettings): Promise<Response> {
  const outboxes = await Promise.all(
    [...settings.outboxes].map(async ([name, outbox]) => ({
      name,
      store: outbox.store.name,
      figures: await outboxFigures(outbox),
    })),
  );
  return jsonAnswer(200, {
    operator: { name: context.operator.name },
    outboxes,
    webhooks: settings.options.webhooks !== undefined,
    webhooksOutbox: webhooksOutboxName(settings) ?? null,
    topics: settings.options.topics !== undefined,
    pageSize: settings.pageSize,
  });
}

async function outboxRoute(context: ConsoleContext, settings: ConsoleSettings, rest: string[]): Promise<Response> {
  const [name, view, id, extra] = rest;
  const outbox = name === undefined ? undefined : settings.outboxes.get(name);
  if (name === undefined || outbox === undefined) throw notFound(`no outbox '${name ?? ''}'`);
  if (view === 'pending' && id === undefined) return (expect(context, 'GET'), listPending(context, outbox));
  if (view === 'undelivered' && id === undefined) return (expect(context, 'GET'), listUndelivered(context, outbox));
  if (view === 'entries' && id !== undefined && extra === undefined) {
    expect(context, 'GET');
    return showEntry(context, outbox, id);
  }
  if ((view === 'redeliver' || view === 'purge') && id === undefined) {
    expect(context, 'POST');
    return actOnEntries(context, name, outbox, view);
  }
  throw notFound(`no route ${context.request.method} ${rest.join('/')}`);
}

async function endpointRoute(context: ConsoleContext, settings: ConsoleSettings, rest: string[]): Promise<Response> {
  const { webhooks } = settings.options;
  if (webhooks === undefined) throw notFound('this console shows no webhook endpoints');
  const [id, action, extra] = rest;
  if (id === undefined) return (expect(context, 'GET'), listEndpoints(context, webhooks));
  if (action === undefined) return (expect(context, 'GET'), showEndpoint(webhooks, id));
  if ((action === 'disable' || action === 'enable' || action === 'rotate') && extra === undefined) {
    expect(context, 'POST');
    return actOnEndpoint(context, webhooks, id, action);
  }
  throw notFound(`no route ${context.request.method} endpoints/${rest.join('/')}`);
}

/** Answers one authorized request under `<basePath>/api/`, its path given as decoded segments. */
export function answerApi(context: ConsoleContext, settings: ConsoleSettings, segments: string[]): Promise<Response> {
  const [resource, ...rest] = segments;
  switch (resource) {
    case 'overview':
      expect(context, 'GET');
      return overview(context, settings);
    case 'outboxes':
      return outboxRoute(context, settings, rest);
    case 'endpoints':
      return endpointRoute(context, settings, rest);
    case 'topics': {
      expect(context, 'GET');
      const { topics } = settings.options;
      const outbox = topics === undefined ? undefined : settings.outboxes.get(topics.outbox);
      if (topics === undefined || outbox === undefined) throw notFound('this console shows no topics');
      return listTopics(context, topics, outbox);
    }
    case undefined:
    default:
      throw notFound(`no API '${resource ?? ''}'`);
  }
}
