import { EventClient } from '@events-protocol/client';
import { deadlineHeader, type RequestEvent } from '@events-protocol/core';
import { createEventServer, EventProcessor, EventRegistry } from '@events-protocol/server';
import { describe, expect, it } from 'vitest';
import { listen, readBody, sendJson } from '../support/http-server.js';

describe('flowId and deadline propagation', () => {
  it('gives events sent from a handler the flowId of the event it handles, and what is left of its time', async () => {
    const seen: { event: RequestEvent; budget: number }[] = [];
    await using downstream = await listen((request, response) => {
      void readBody(request).then((text) => {
        const event = JSON.parse(text) as RequestEvent;
        seen.push({ event, budget: Number(request.headers[deadlineHeader]) });
        sendJson(response, 200, { ...event, name: `${event.name}:response`, payload: { stock: 3 } });
      });
    });
    const inventory = new EventClient({ url: `${downstream.origin}/events`, origin: 'orders' });

    const registry = new EventRegistry().register({
      name: 'order:place',
      handler: async () => {
        // Across an await, the context still holds the event being handled.
        await new Promise((resolve) => setTimeout(resolve, 5));
        const stock = await inventory.sendEvent({ name: 'stock:get', payload: { sku: 'BOOK-1' } });
        return { stock: stock.kind === 'success' ? stock.event.payload : null };
      },
    });
    await using upstream = await listen(createEventServer(new EventProcessor(registry)));
    const caller = new EventClient({ url: `${upstream.origin}/events` });

    const result = await caller.sendEvent({ name: 'order:place', flowId: 'flow-42', timeout: 3000 });
    expect(result).toMatchObject({ kind: 'success', event: { payload: { stock: { stock: 3 } } } });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.event).toMatchObject({ name: 'stock:get', flowId: 'flow-42', metadata: { origin: 'orders' } });
    expect(seen[0]?.event.id).not.toBe(result.request.id);
    // The handler's deadline is the caller's 3 s budget, less the time already spent.
    expect(seen[0]?.budget).toBeGreaterThan(2000);
    expect(seen[0]?.budget).toBeLessThan(3000);

    // Outside a handler, a new flow starts.
    await inventory.sendEvent({ name: 'stock:get' });
    expect(seen[1]?.event.flowId).not.toBe('flow-42');
    await Promise.all([inventory.close(), caller.close()]);
  });
});
