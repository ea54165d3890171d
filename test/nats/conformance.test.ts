import { httpOnlyCheckIds, runConformance, transportConformanceChecks } from '@events-protocol/conformance';
import { NatsTransport, serveEventsOverNats } from '@events-protocol/nats';
import { EventProcessor, EventRegistry } from '@events-protocol/server';
import { connect } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import { echoProcessor } from '../conformance/echo-servers.js';
import { startNatsServer } from '../support/nats-server.js';

describe('the conformance kit over NATS request-reply', () => {
  it('passes every rule that is not about HTTP itself against serveEventsOverNats', { timeout: 120_000 }, async () => {
    await using server = await startNatsServer();
    const connection = await connect({ servers: server.url });
    const events = serveEventsOverNats(echoProcessor(), { connection, subjectPrefix: 'events' });
    try {
      await connection.flush();
      const report = await runConformance({
        url: `${server.url}/events`,
        transport: new NatsTransport({ connection, subjectPrefix: 'events' }),
      });
      const failed = report.results.filter((result) => result.status === 'fail');
      expect(report.stopped).toBeUndefined();
      expect(failed).toEqual([]);
      expect(report.passed).toBe(true);
      expect(report.results.map((result) => result.id)).toEqual(transportConformanceChecks.map((check) => check.id));
      expect(report.results.some((result) => httpOnlyCheckIds.has(result.id))).toBe(false);
      expect(report.results.length).toBeGreaterThan(20);
    } finally {
      await events.drain();
      await connection.close();
    }
  });

  it('fails the rules a broken server breaks, over NATS too', { timeout: 120_000 }, async () => {
    await using server = await startNatsServer();
    const connection = await connect({ servers: server.url });
    // Echoes the request's auth back: a rule the kit checks (auth is never echoed).
    const leaky = new EventProcessor(
      new EventRegistry().register({
        name: 'conformance:echo',
        handler: (event) => ({ payload: event.payload, leaked: event.auth }),
      }),
    );
    const events = serveEventsOverNats(leaky, { connection, subjectPrefix: 'events' });
    try {
      await connection.flush();
      const report = await runConformance({
        url: `${server.url}/events`,
        transport: new NatsTransport({ connection, subjectPrefix: 'events' }),
      });
      expect(report.passed).toBe(false);
      expect(report.counts.fail).toBeGreaterThan(0);
    } finally {
      await events.drain();
      await connection.close();
    }
  });

  it('reports an unreachable server when nothing answers on the prefix', async () => {
    await using server = await startNatsServer();
    const connection = await connect({ servers: server.url });
    try {
      const report = await runConformance({
        url: `${server.url}/nobody`,
        transport: new NatsTransport({ connection, subjectPrefix: 'nobody' }),
      });
      expect(report.stopped?.kind).toBe('unreachable');
      expect(report.stopped?.reason).toContain('no responders');
    } finally {
      await connection.close();
    }
  });
});
