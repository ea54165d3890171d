import { EventProcessor, EventRegistry } from '@events-protocol/server';
import Fastify from 'fastify';
import { describe, expectTypeOf, it } from 'vitest';
import { eventsPlugin, type EventsPluginOptions } from './index.js';

const registry = new EventRegistry();
const processor = new EventProcessor(registry);

describe('app.register(eventsPlugin, options)', () => {
  it('takes a processor, or a registry with processor options, next to Fastify register options', () => {
    const app = Fastify();
    void app.register(eventsPlugin, { processor, discovery: true, prefix: '/api' });
    void app.register(eventsPlugin, { registry, processorOptions: { strict: true }, maxBodyBytes: 4096 });
    expectTypeOf<{ registry: EventRegistry; closeGraceMs: number }>().toExtend<EventsPluginOptions>();
  });

  it('takes a registry whose middleware typed the handler context', () => {
    const typed = new EventRegistry().use<{ tenant: string }>((_event, _context, next) => next({ tenant: 'acme' }));
    void Fastify().register(eventsPlugin, { registry: typed });
  });

  it('refuses both a processor and a registry, or neither', () => {
    const app = Fastify();
    // @ts-expect-error give one of processor and registry
    void app.register(eventsPlugin, { processor, registry });
    // @ts-expect-error processorOptions only go with a registry
    void app.register(eventsPlugin, { processor, processorOptions: {} });
    expectTypeOf<{ path: string }>().not.toExtend<EventsPluginOptions>();
  });
});
