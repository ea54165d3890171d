import { EventProcessor, EventRegistry, isServerError } from '@events-protocol/server';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { defaultCloseGraceMs, resolveEventsPluginOptions, type EventsPluginOptions } from './events-plugin-options.js';

const log = Fastify().log;

function codeOf(options: unknown): string | undefined {
  try {
    resolveEventsPluginOptions(options as EventsPluginOptions, log, 1024);
    return undefined;
  } catch (error) {
    return isServerError(error) ? error.code : 'not a ServerError';
  }
}

describe('resolveEventsPluginOptions', () => {
  it('keeps a given processor and fills in the defaults, the body limit from the app', () => {
    const processor = new EventProcessor(new EventRegistry());
    expect(resolveEventsPluginOptions({ processor }, log, 4096)).toEqual({
      processor,
      path: '/events',
      discovery: false,
      maxBodyBytes: 4096,
      closeGraceMs: defaultCloseGraceMs,
    });
  });

  it('builds a processor over a registry, serving its handlers', async () => {
    const registry = new EventRegistry().register({ name: 'echo', handler: (event) => event.payload });
    const { processor } = resolveEventsPluginOptions({ registry, processorOptions: { strict: true } }, log, 1024);
    expect(processor.registry).toBe(registry);
    // strict: the lenient omissions are refused, so the options reached the processor.
    expect(await processor.processEvent('{"name":"echo","version":1,"id":"i","flowId":"f"}')).toMatchObject({
      name: 'badProtocol',
    });
  });

  it.each([
    ['neither processor nor registry', {}],
    ['both', { processor: new EventProcessor(new EventRegistry()), registry: new EventRegistry() }],
    ['a processor that is not one', { processor: { processEventToJson: () => '' } }],
    ['a relative path', { registry: new EventRegistry(), path: 'events' }],
    ['a zero body limit', { registry: new EventRegistry(), maxBodyBytes: 0 }],
    ['a fractional body limit', { registry: new EventRegistry(), maxBodyBytes: 1.5 }],
    ['a negative grace period', { registry: new EventRegistry(), closeGraceMs: -1 }],
  ])('refuses %s with INVALID_OPTIONS', (_label, options) => {
    expect(codeOf(options)).toBe('INVALID_OPTIONS');
  });
});
