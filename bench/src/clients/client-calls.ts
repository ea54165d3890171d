/**
 * The clients the client bench compares, each posting the bench's ~430-byte event to the same
 * server with 50 connections: undici's own `request` with the same body (the baseline), our
 * `sendEvent`, and Node's global fetch. Each runs in a process of its own (client-child.ts).
 */
import type { EventClient } from '@events-protocol/client';
import { requestBody, requestEvent } from '../fixture.js';

/** One call of a client under test, resolving once its answer is read. */
export type ClientCall = () => Promise<unknown>;

/** A client opened against the bench server. */
export interface OpenClient {
  readonly call: ClientCall;
  close(): Promise<void>;
}

/** A client the bench measures, by key. */
export interface ClientScenario {
  readonly key: ClientKey;
  readonly label: string;
}

export type ClientKey = 'undici-request' | 'send-event' | 'fetch';

export const clientScenarios: readonly ClientScenario[] = [
  { key: 'undici-request', label: 'undici request, same body and pool (baseline)' },
  { key: 'send-event', label: 'events-protocol EventClient.sendEvent' },
  { key: 'fetch', label: 'Node global fetch' },
];

const headers = { 'content-type': 'application/json' };

/**
 * Opens the client `key` against `url`. `clientEntry` names another build's
 * `client/dist/index.js` to measure its sendEvent instead of this workspace's.
 */
export async function openClient(
  key: ClientKey,
  url: string,
  connections: number,
  clientEntry?: string,
): Promise<OpenClient> {
  switch (key) {
    case 'undici-request': {
      const { Agent, request } = await import('undici');
      const agent = new Agent({ connections, keepAliveTimeout: 60_000 });
      return {
        call: async () => {
          const response = await request(url, { method: 'POST', body: requestBody, headers, dispatcher: agent });
          return response.body.json();
        },
        close: () => agent.close(),
      };
    }
    case 'send-event': {
      const module = (await import(clientEntry ?? '@events-protocol/client')) as { EventClient: typeof EventClient };
      const client = new module.EventClient({ url, connections });
      const { name, version, payload, identity, auth, metadata } = requestEvent;
      return {
        call: async () => {
          const result = await client.sendEvent({ name, version, payload, identity, auth, metadata });
          if (result.kind !== 'success') throw new Error(`sendEvent: ${result.kind}`);
        },
        close: () => client.close(),
      };
    }
    case 'fetch':
      return {
        call: async () => {
          const response = await fetch(url, { method: 'POST', body: requestBody, headers });
          return response.json();
        },
        close: () => Promise.resolve(),
      };
  }
}
