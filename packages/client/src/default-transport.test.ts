import { Agent } from 'undici';
import { describe, expect, it } from 'vitest';
import { isEventClientError } from './client-error.js';
import { defaultHttpTransport } from './default-transport.js';
import { FetchTransport } from './fetch-transport.js';
import { HttpTransport } from './http-transport.js';

const options = { connectMs: 1000, responseMs: 1000 };

describe('defaultHttpTransport', () => {
  it('chooses undici on Node', async () => {
    const transport = defaultHttpTransport('http://127.0.0.1:1/events', options);
    expect(transport).toBeInstanceOf(HttpTransport);
    await transport.close();
  });

  it('chooses fetch where the runtime only claims to be Node (Bun sets process.versions.bun)', async () => {
    const versions = process.versions as Record<string, string | undefined>;
    versions['bun'] = '1.4.5';
    try {
      const transport = defaultHttpTransport('http://127.0.0.1:1/events', options);
      expect(transport).toBeInstanceOf(FetchTransport);
      await transport.close();
      // A dispatcher is undici's: given one, the undici transport is used as asked.
      const dispatcher = new Agent();
      const withDispatcher = defaultHttpTransport('http://127.0.0.1:1/events', { ...options, dispatcher });
      expect(withDispatcher).toBeInstanceOf(HttpTransport);
      await withDispatcher.close();
      await dispatcher.close();
    } finally {
      delete versions['bun'];
    }
  });
});

describe('FetchTransport options', () => {
  it('refuses a URL that is not http(s)', () => {
    let caught: unknown;
    try {
      new FetchTransport('ws://127.0.0.1/events');
    } catch (error) {
      caught = error;
    }
    expect(isEventClientError(caught) && caught.code).toBe('INVALID_OPTIONS');
  });
});
