import { currentEventContext, EventBuilder, isEventContextInUse, useEventContext } from '@events-protocol/core';
import { describe, expect, it } from 'vitest';
import { EventProcessor } from './event-processor.js';
import { EventRegistry } from './event-registry.js';

// One file, one process: the readers flag is process-wide, so these run in order.
describe('entering the flow context only when something reads it', () => {
  const registry = new EventRegistry().register({
    name: 'look',
    handler: () => currentEventContext()?.event.id ?? null,
  });

  it('does not enter it while nothing in the process reads it', async () => {
    expect(isEventContextInUse()).toBe(false);
    const answer = await new EventProcessor(registry).processEvent(
      EventBuilder.request({ name: 'look', payload: null }),
    );
    expect(answer.payload).toBeNull();
  });

  it('enters it once a reader exists, unless turned off', async () => {
    useEventContext();
    const event = EventBuilder.request({ name: 'look', payload: null });
    expect((await new EventProcessor(registry).processEvent(event)).payload).toBe(event.id);
    expect((await new EventProcessor(registry, { flowContext: false }).processEvent(event)).payload).toBeNull();
  });

  it('keeps handlers in the event flow context across awaits, and leaves it after', async () => {
    let seen: string | undefined;
    const flowing = new EventRegistry().register({
      name: 'flow',
      handler: async () => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        seen = currentEventContext()?.event.flowId;
      },
    });
    const event = EventBuilder.request({ name: 'flow', payload: null });
    await new EventProcessor(flowing).processEvent(event);
    expect(seen).toBe(event.flowId);
    expect(currentEventContext()).toBeUndefined();
  });
});
