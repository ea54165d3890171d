import { EventClient } from '@events-protocol/client';
import { deadlineHeader } from '@events-protocol/core';
import { createEventServer, EventProcessor, EventRegistry } from '@events-protocol/server';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { listen, type RunningServer } from '../support/http-server.js';

/** A service whose handler records the budget it was given, spends a little, then calls the next one. */
async function service(
  name: string,
  budgets: Map<string, number>,
  next?: string,
): Promise<RunningServer & { client?: EventClient }> {
  const client = next === undefined ? undefined : new EventClient({ url: next });
  const registry = new EventRegistry().register({
    name: 'chain:step',
    handler: async (_event, context) => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      if (client === undefined) return { reached: name, remainingMs: context.deadline - Date.now() };
      const inner = await client.sendEvent({ name: 'chain:step' });
      return inner.kind === 'success' ? inner.event.payload : { failed: inner.kind };
    },
  });
  const listener = createEventServer(new EventProcessor(registry));
  const record = (request: IncomingMessage, _response: ServerResponse) => {
    budgets.set(name, Number(request.headers[deadlineHeader]));
  };
  listener.prependListener('request', record);
  const running = await listen(listener);
  return Object.assign(running, client === undefined ? {} : { client });
}

describe('deadlines end to end', () => {
  it('gives each service in a chain of three less time than the one that called it', async () => {
    const budgets = new Map<string, number>();
    await using inner = await service('inner', budgets);
    await using middle = await service('middle', budgets, `${inner.origin}/events`);
    await using outer = await service('outer', budgets, `${middle.origin}/events`);
    const caller = new EventClient({ url: `${outer.origin}/events`, timeout: 2000 });

    const result = await caller.sendEvent({ name: 'chain:step' });
    expect(result).toMatchObject({ kind: 'success', event: { payload: { reached: 'inner' } } });
    const [outerBudget, middleBudget, innerBudget] = ['outer', 'middle', 'inner'].map(
      (name) => budgets.get(name) ?? NaN,
    );
    expect(outerBudget).toBeLessThanOrEqual(2000);
    // Each hop spent 30 ms before calling on: the budget shrinks along the chain. Budgets are whole
    // ms, and Node's timers may fire up to a millisecond before the clock says 30 ms passed.
    const spentMs = 30 - 1;
    expect(middleBudget).toBeLessThanOrEqual(outerBudget! - spentMs);
    expect(innerBudget).toBeLessThanOrEqual(middleBudget! - spentMs);
    await Promise.all([caller.close(), middle.client?.close(), outer.client?.close()]);
  });

  it('answers DEADLINE_EXCEEDED down the chain when the budget runs out on the way', async () => {
    const budgets = new Map<string, number>();
    await using inner = await service('inner', budgets);
    await using middle = await service('middle', budgets, `${inner.origin}/events`);
    const caller = new EventClient({ url: `${middle.origin}/events`, timeout: 45 });
    const started = performance.now();
    const result = await caller.sendEvent({ name: 'chain:step' });
    expect(result.kind).toBe('timeout');
    expect(performance.now() - started).toBeLessThan(500);
    await Promise.all([caller.close(), middle.client?.close()]);
  });
});
