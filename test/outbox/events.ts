import type { PublishedEvent } from '@events-protocol/publish';

/** A published event for outbox tests, `order:created` number `index`, with a 64-bit id in its payload. */
export function orderEvent(index: number, runId = 'run'): PublishedEvent {
  return {
    name: 'order:created',
    version: 1,
    id: `${runId}-${index}`,
    flowId: `flow-${runId}`,
    payload: { index, accountId: 65484548474984654n },
    identity: {},
    auth: {},
    metadata: { origin: 'outbox-test' },
    createdAt: new Date(0).toISOString(),
  };
}
