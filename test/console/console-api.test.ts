import { createOperatorConsole, isConsoleError } from '@events-protocol/console';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../webhooks/harness.js';
import { callApi, consoleFixture, viewerToken } from './console-fixture.js';

// The console's JSON API over a real socket (node:http through the web-standard handler), on a
// webhook dispatcher's real SQLite store, its deliveries made undelivered by a real failing receiver.
describe('the operator console API', () => {
  let fixture: Awaited<ReturnType<typeof consoleFixture>>;
  beforeAll(async () => {
    fixture = await consoleFixture({ events: 3 });
  });
  afterAll(async () => {
    await fixture.close();
  });

  it('cannot be made without authorize', () => {
    const make = (): unknown =>
      createOperatorConsole({ outboxes: {} } as unknown as Parameters<typeof createOperatorConsole>[0]);
    expect(make).toThrow(/authorize/);
    let thrown: unknown;
    try {
      make();
    } catch (error) {
      thrown = error;
    }
    expect(isConsoleError(thrown)).toBe(true);
    expect((thrown as { code?: unknown }).code).toBe('INVALID_OPTIONS');
  });

  it('refuses a request without credentials (401) or with a refused operator (403), showing and doing nothing', async () => {
    for (const [token, status] of [
      [null, 401],
      ['wrong', 401],
      [viewerToken, 403],
    ] as const) {
      const list = await callApi(fixture.url, 'outboxes/webhooks/undelivered', { token });
      expect(list.status).toBe(status);
      expect(list.json['entries']).toBeUndefined();
      expect(list.text).not.toContain(fixture.deliveryIds[0]);
      const page = await fetch(
        `${fixture.url}/`,
        token === null ? {} : { headers: { authorization: `Bearer ${token}` } },
      );
      expect(page.status).toBe(status);
      expect(await page.text()).not.toContain('<html');
      const action = await callApi(fixture.url, 'outboxes/webhooks/redeliver', {
        token,
        body: { ids: fixture.deliveryIds, confirm: fixture.deliveryIds.length },
      });
      expect(action.status).toBe(status);
    }
    expect((await callApi(fixture.url, 'overview', { token: null })).headers.get('www-authenticate')).toBe(
      'Bearer realm="operators"',
    );
    const page = await fixture.hooks.dispatcher.outbox.listUndelivered({ limit: 100 });
    expect(page.events.map((entry) => entry.id).sort()).toEqual([...fixture.deliveryIds].sort());
    expect(fixture.logger.lines.filter((line) => line.level === 'info')).toEqual([]);
  });

  it('gives an overview of each outbox from its store stats', async () => {
    const overview = await callApi(fixture.url, 'overview');
    expect(overview.status).toBe(200);
    expect(overview.json).toMatchObject({
      operator: { name: 'alice' },
      webhooks: true,
      webhooksOutbox: 'webhooks',
      outboxes: [
        { name: 'webhooks', figures: { pending: 0, undelivered: 3, oldestUndeliveredFailedAt: expect.any(String) } },
      ],
    });
  });

  it('lists undelivered entries a page at a time, each with its attempts and endpoint', async () => {
    const first = await callApi(fixture.url, 'outboxes/webhooks/undelivered?limit=2');
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('no-store');
    const entries = first.json['entries'] as {
      id: string;
      attempts: number;
      lastError: string;
      endpoint: { targetUrl: string };
    }[];
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({ attempts: 2, endpoint: { targetUrl: fixture.target.url } });
    expect(entries[0]?.lastError).toMatch(/500/);
    expect(typeof first.json['nextCursor']).toBe('string');
    const second = await callApi(
      fixture.url,
      `outboxes/webhooks/undelivered?limit=2&cursor=${encodeURIComponent(first.json['nextCursor'] as string)}`,
    );
    const rest = second.json['entries'] as { id: string }[];
    expect(rest).toHaveLength(1);
    expect(second.json['nextCursor']).toBeNull();
    expect(new Set([...entries, ...rest].map((entry) => entry.id))).toEqual(new Set(fixture.deliveryIds));
  });

  it('shows one entry with every attempt: status, duration, the answer excerpt and the error', async () => {
    const id = fixture.deliveryIds[0]!;
    const entry = await callApi(fixture.url, `outboxes/webhooks/entries/${encodeURIComponent(id)}`);
    expect(entry.status).toBe(200);
    const history = entry.json['history'] as {
      status: number;
      responseExcerpt: string;
      durationMs: number;
      outcome: string;
    }[];
    expect(history).toHaveLength(2);
    expect(history[0]).toMatchObject({
      outcome: 'failed',
      status: 500,
      responseExcerpt: 'receiver down for maintenance',
    });
    expect((entry.json['event'] as Record<string, unknown>)['auth']).toBeUndefined();
    expect((await callApi(fixture.url, 'outboxes/webhooks/entries/nope')).status).toBe(404);
  });

  it('refuses an action without the console header or a JSON body (CSRF), applying nothing', async () => {
    const body = JSON.stringify({ ids: fixture.deliveryIds, confirm: fixture.deliveryIds.length });
    const noHeader = await fetch(`${fixture.url}/api/outboxes/webhooks/redeliver`, {
      method: 'POST',
      headers: { authorization: `Bearer op-token-7f3a9c1e`, 'content-type': 'application/json' },
      body,
    });
    expect(noHeader.status).toBe(403);
    expect(((await noHeader.json()) as { code: string }).code).toBe('CONSOLE_HEADER_MISSING');
    const form = await callApi(fixture.url, 'outboxes/webhooks/redeliver', {
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(415);
    const page = await fixture.hooks.dispatcher.outbox.listUndelivered({ limit: 100 });
    expect(page.events).toHaveLength(fixture.deliveryIds.length);
  });

  it('answers bad input with a clear 400', async () => {
    const cases: [string, unknown, string][] = [
      ['outboxes/webhooks/redeliver', '{not json', 'INVALID_JSON'],
      ['outboxes/webhooks/redeliver', { ids: 'one' }, 'BAD_REQUEST'],
      ['outboxes/webhooks/redeliver', { ids: fixture.deliveryIds }, 'CONFIRMATION_REQUIRED'],
      ['outboxes/webhooks/purge', { ids: fixture.deliveryIds, confirm: 1 }, 'CONFIRMATION_REQUIRED'],
      ['outboxes/webhooks/purge', { filter: { topic: fixture.subscription.id } }, 'CONFIRMATION_REQUIRED'],
      ['outboxes/webhooks/purge', { filter: { since: 'yesterday' }, confirm: 'all' }, 'BAD_REQUEST'],
    ];
    for (const [path, body, code] of cases) {
      const answer = await callApi(fixture.url, path, { body });
      expect([answer.status, answer.json['code']]).toEqual([400, code]);
      expect(answer.json['message']).toEqual(expect.any(String));
    }
    const badLimit = await callApi(fixture.url, 'outboxes/webhooks/undelivered?limit=0');
    expect([badLimit.status, badLimit.json['code']]).toEqual([400, 'BAD_REQUEST']);
    expect((await callApi(fixture.url, 'outboxes/nope/undelivered')).status).toBe(404);
    expect((await callApi(fixture.url, 'outboxes/webhooks/undelivered', { body: {} })).status).toBe(405);
    const page = await fixture.hooks.dispatcher.outbox.listUndelivered({ limit: 100 });
    expect(page.events).toHaveLength(fixture.deliveryIds.length);
  });

  it('redelivers a selection, logs it with the operator, and the entries are delivered once the receiver is fixed', async () => {
    const [first, second] = fixture.deliveryIds;
    const answer = await callApi(fixture.url, 'outboxes/webhooks/redeliver', {
      body: { ids: [first, second], confirm: 2 },
    });
    expect(answer.json).toEqual({ action: 'redeliver', count: 2 });
    expect(fixture.logger.lines).toContainEqual({
      level: 'info',
      object: {
        operator: { name: 'alice', role: 'operator' },
        action: 'redeliver',
        outbox: 'webhooks',
        selection: { ids: [first, second] },
        count: 2,
      },
    });
    fixture.state.fixed = true;
    await eventually(async () => (await fixture.hooks.dispatcher.outbox.getEntry(first!))?.state === 'delivered');
    await eventually(async () => (await fixture.hooks.dispatcher.outbox.getEntry(second!))?.state === 'delivered');
  });

  it('purges one entry for good, logged', async () => {
    const third = fixture.deliveryIds[2]!;
    const answer = await callApi(fixture.url, 'outboxes/webhooks/purge', { body: { ids: [third], confirm: 1 } });
    expect(answer.json).toEqual({ action: 'purge', count: 1 });
    expect(await fixture.hooks.dispatcher.outbox.getEntry(third)).toBeUndefined();
    expect(fixture.logger.lines.at(-1)?.object).toMatchObject({
      action: 'purge',
      count: 1,
      selection: { ids: [third] },
    });
  });
});
