import { defineEvent, type RequestEvent } from '@events-protocol/core';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { EventHandler, handlerClassFor } from './event-handler.js';
import { EventRegistry } from './event-registry.js';
import { EventProcessor } from './event-processor.js';
import { isServerError } from './server-error.js';

const greet = defineEvent({ name: 'greet', version: 2, payload: z.object({ who: z.string() }), response: z.string() });

class Greeter extends EventHandler<{ who: string }, string> {
  static override readonly eventName = 'greet';
  static override readonly version = 1;
  static override readonly payload = z.object({ who: z.string() });
  readonly #greeting: string;

  constructor(greeting: string) {
    super();
    this.#greeting = greeting;
  }

  handle(event: RequestEvent<{ who: string }>): string {
    return `${this.#greeting}, ${event.payload.who}`;
  }
}

class ContractGreeter extends handlerClassFor(greet) {
  handle(event: RequestEvent<{ who: string }>): string {
    return `hi ${event.payload.who}`;
  }
}

describe('EventRegistry', () => {
  it('registers classes, contracts and plain functions, keyed by name and version', async () => {
    const registry = new EventRegistry()
      .add(new Greeter('Hello'))
      .on(
        defineEvent({ name: 'greet', version: 3, payload: z.object({ who: z.string() }), response: z.string() }),
        (event) => `yo ${event.payload.who}`,
      )
      .register({ name: 'ping', handler: () => 'pong' });
    const processor = new EventProcessor(registry);
    const send = async (name: string, version: number, payload: unknown) =>
      (await processor.processEvent({ name, version, id: 'i', flowId: 'f', payload })).payload;
    expect(await send('greet', 1, { who: 'Ada' })).toBe('Hello, Ada');
    expect(await send('greet', 3, { who: 'Ada' })).toBe('yo Ada');
    expect(await send('ping', 1, null)).toBe('pong');
    expect(registry.list().map((entry) => `${entry.name}@${entry.version}`)).toEqual(['greet@1', 'greet@3', 'ping@1']);
  });

  it('takes name, version and schemas of a contract-based handler class', () => {
    const registry = new EventRegistry().add(new ContractGreeter());
    expect(registry.find('greet', 2)).toMatchObject({
      name: 'greet',
      version: 2,
      payload: greet.payload,
      response: greet.response,
    });
  });

  it('refuses the same name and version twice, at registration', () => {
    const registry = new EventRegistry().register({ name: 'a', handler: () => 1 });
    try {
      registry.register({ name: 'a', version: 1, handler: () => 2 });
      expect.unreachable();
    } catch (error) {
      expect(isServerError(error) && error.code).toBe('DUPLICATE_HANDLER');
      expect(String(error)).toContain("'a' version 1");
    }
    expect(() => registry.register({ name: 'a', version: 2, handler: () => 2 })).not.toThrow();
  });

  it('refuses handlers without a name, with a bad version or timeout', () => {
    class Nameless extends EventHandler {
      handle(): null {
        return null;
      }
    }
    expect(() => new EventRegistry().add(new Nameless())).toThrow(/eventName/);
    expect(() => new EventRegistry().register({ name: 'a', version: 0, handler: () => 1 })).toThrow(/version/);
    expect(() => new EventRegistry().register({ name: 'a', timeoutMs: -5, handler: () => 1 })).toThrow(/timeoutMs/);
  });

  it("keeps a contract's deprecation in a handler class made by handlerClassFor, and lets options override it", async () => {
    const deprecation = { sunset: '2027-06-30', note: 'use version 3' };
    const old = defineEvent({
      name: 'greet',
      version: 1,
      payload: z.object({ who: z.string() }),
      response: z.string(),
      deprecated: deprecation,
    });
    class OldGreeter extends handlerClassFor(old) {
      handle(event: RequestEvent<{ who: string }>): string {
        return `hi ${event.payload.who}`;
      }
    }
    const overridden = { sunset: '2026-12-31' };
    class Overridden extends handlerClassFor(greet, { deprecated: overridden }) {
      handle(): string {
        return 'hi';
      }
    }
    const registry = new EventRegistry().add(new OldGreeter()).add(new Overridden());
    expect(registry.find('greet', 1)?.deprecated).toEqual(deprecation);
    expect(registry.find('greet', 2)?.deprecated).toEqual(overridden);
    const answer = await new EventProcessor(registry).processEvent({
      name: 'greet',
      version: 1,
      id: 'i',
      flowId: 'f',
      payload: { who: 'Ada' },
      identity: {},
      auth: {},
      metadata: {},
    });
    expect(answer.metadata['deprecation']).toEqual({ deprecated: true, ...deprecation });
  });
});
