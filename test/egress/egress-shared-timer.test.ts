import { HttpEgress, isEgressError } from '@events-protocol/client/egress';
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, sendJson, type RunningServer } from '../support/http-server.js';
import { startBlackhole, type Blackhole } from './egress-servers.js';

// Node's timers can fire up to a millisecond before performance.now() says the delay is over.
const clockRoundingMs = 2;

/** When a request settled, from `startedAt`, and what it settled with. */
async function settled(started: number, send: Promise<unknown>): Promise<{ elapsedMs: number; outcome: unknown }> {
  const outcome = await send.then(
    (response) => response,
    (error: unknown) => error,
  );
  return { elapsedMs: performance.now() - started, outcome };
}

function timersActive(): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
}

// One egress keeps one timer for all its requests: these tests hold that each request still
// ends at its own limit, whatever the others in flight have.
describe('HttpEgress with requests of different limits in flight at once', () => {
  let silent: RunningServer;
  let answering: RunningServer;
  let blackhole: Blackhole;
  const held: ServerResponse[] = [];

  beforeAll(async () => {
    silent = await listen((_request, response) => {
      held.push(response);
    });
    answering = await listen((_request, response) => {
      sendJson(response, 200, { ok: true });
    });
    blackhole = await startBlackhole();
    const warmUp = new HttpEgress({ timeouts: 50 });
    await warmUp.send({ url: silent.origin }).catch(() => undefined);
    await warmUp.close();
  });
  afterAll(async () => {
    await silent.close();
    await answering.close();
    await blackhole.close();
  });

  it('ends a shorter request sent later at its own limit, and the longer one at its own', async () => {
    const egress = new HttpEgress({ timeouts: 5000 });
    try {
      const started = performance.now();
      const long = settled(started, egress.send({ url: silent.origin, timeouts: 700 }));
      const short = settled(started, egress.send({ url: silent.origin, totalMs: 150 }));
      const answered = settled(started, egress.send({ url: answering.origin }));
      const [first, second, ok] = await Promise.all([short, long, answered]);
      expect(ok.outcome).toMatchObject({ status: 200, text: '{"ok":true}' });
      for (const [result, limitMs] of [
        [first, 150],
        [second, 700],
      ] as const) {
        expect(isEgressError(result.outcome)).toBe(true);
        expect(result.outcome).toMatchObject({ code: 'TIMEOUT', phase: 'headers' });
        expect(result.elapsedMs).toBeGreaterThanOrEqual(limitMs - clockRoundingMs);
      }
      // The shorter one did not wait for the longer one's timer.
      expect(first.elapsedMs).toBeLessThan(second.elapsedMs);
      expect(first.elapsedMs).toBeLessThan(700 - clockRoundingMs);
    } finally {
      await egress.close();
    }
  });

  it('ends a shorter connect sent later at its own limit, while a longer request waits', async () => {
    const egress = new HttpEgress({ timeouts: 5000 });
    try {
      const started = performance.now();
      const long = settled(started, egress.send({ url: silent.origin, timeouts: 700 }));
      const connecting = settled(started, egress.send({ url: blackhole.origin, totalMs: 150 }));
      const [first, second] = await Promise.all([connecting, long]);
      expect(first.outcome).toMatchObject({ code: 'TIMEOUT', phase: 'connect' });
      expect(first.elapsedMs).toBeGreaterThanOrEqual(150 - clockRoundingMs);
      expect(first.elapsedMs).toBeLessThan(700 - clockRoundingMs);
      expect(second.outcome).toMatchObject({ code: 'TIMEOUT', phase: 'headers' });
      expect(second.elapsedMs).toBeGreaterThanOrEqual(700 - clockRoundingMs);
    } finally {
      await egress.close();
    }
  });

  it('ends a request when its response phase runs out, though its connect limit was later', async () => {
    // The connect phase's deadline (5 s) is set first; the response phase's (200 ms) replaces it.
    const egress = new HttpEgress({ timeouts: { connectMs: 5000, responseMs: 200 } });
    try {
      const started = performance.now();
      const { elapsedMs, outcome } = await settled(started, egress.send({ url: silent.origin }));
      expect(outcome).toMatchObject({ code: 'TIMEOUT', phase: 'headers' });
      expect(elapsedMs).toBeGreaterThanOrEqual(200 - clockRoundingMs);
      expect(elapsedMs).toBeLessThan(5000);
    } finally {
      await egress.close();
    }
  });

  it('leaves no timer running once its requests have settled', async () => {
    const egress = new HttpEgress({ timeouts: 30_000 });
    try {
      const before = timersActive();
      const responses = await Promise.all(Array.from({ length: 5 }, () => egress.send({ url: answering.origin })));
      expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200, 200]);
      expect(timersActive()).toBe(before);
    } finally {
      await egress.close();
    }
  });
});
