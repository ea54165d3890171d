import { JetStreamSink, checkStreamDurability, natsAttributeHeaderPrefix } from '@events-protocol/nats';
import { createPublishedEvent, isPermanentPublishError, isPublishError } from '@events-protocol/publish';
import { DiscardPolicy, jetstreamManager, StorageType, type JetStreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/nats-core';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNatsServer, type NatsServer } from '../support/nats-server.js';

let server: NatsServer;
let connection: NatsConnection;
let manager: JetStreamManager;

beforeAll(async () => {
  server = await startNatsServer();
  connection = await connect({ servers: server.url });
  manager = await jetstreamManager(connection);
});

afterAll(async () => {
  await connection.close();
  await server.stop();
});

async function stream(name: string, subjects: string[], extra: { max_msgs?: number; storage?: StorageType } = {}) {
  await manager.streams.add({ name, subjects, storage: extra.storage ?? StorageType.File, num_replicas: 1, ...extra });
}

/** Waits until the process is in the stopped state (`T` in /proc/<pid>/stat). */
async function stopped(pid: number | undefined): Promise<void> {
  for (;;) {
    const stat = await readFile(`/proc/${String(pid)}/stat`, 'utf8');
    if (/\) T /.test(stat)) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function messagesIn(name: string): Promise<number> {
  return (await manager.streams.info(name)).state.messages;
}

describe('JetStreamSink on a real nats-server', () => {
  it('stores an event on its topic subject, the event as JSON and the event id as the message id', async () => {
    await stream('SINK_BASIC', ['basic.>']);
    const sink = new JetStreamSink({ connection, subject: (topic) => `basic.${topic ?? 'none'}` });
    const event = createPublishedEvent({
      name: 'order:placed',
      payload: { orderId: 7, big: 65484548474984654n },
      identity: { userId: 'u1' },
      auth: { token: 'secret' },
    });
    const report = await sink.publish(event, { topic: 'orders', attributes: { region: 'eu' } });
    expect(report.responseExcerpt).toMatch(/^SINK_BASIC #1$/);
    const stored = await manager.streams.getMessage('SINK_BASIC', { seq: 1 });
    expect(stored?.subject).toBe('basic.orders');
    expect(stored?.header.get('Nats-Msg-Id')).toBe(event.id);
    expect(stored?.header.get(`${natsAttributeHeaderPrefix}region`)).toBe('eu');
    const text = stored?.string() ?? '';
    expect(text).toContain('"big":65484548474984654');
    expect(JSON.parse(text)).toMatchObject({ id: event.id, name: 'order:placed', identity: {}, auth: {} });
    await sink.close();
  });

  it('deduplicates by event id: the same event published twice is stored once', async () => {
    await stream('SINK_DEDUP', ['dedup.>']);
    const sink = new JetStreamSink({ connection, subject: () => 'dedup.x' });
    const event = createPublishedEvent({ name: 'order:placed', payload: { n: 1 } });
    const first = await sink.publish(event);
    const second = await sink.publish(event);
    await sink.publish(createPublishedEvent({ name: 'order:placed', payload: { n: 2 } }));
    expect(first.responseExcerpt).not.toContain('duplicate');
    expect(second.responseExcerpt).toContain('(duplicate)');
    expect(await messagesIn('SINK_DEDUP')).toBe(2);
  });

  it('awaits the PubAck: a message the stream refuses rejects the publish (REJECTED), and nothing is stored', async () => {
    await manager.streams.add({
      name: 'SINK_FULL',
      subjects: ['full.>'],
      storage: StorageType.File,
      num_replicas: 1,
      max_msgs: 1,
      discard: DiscardPolicy.New,
    });
    const sink = new JetStreamSink({ connection, subject: () => 'full.x' });
    await sink.publish(createPublishedEvent({ name: 'a', payload: 1 }));
    const refused = sink.publish(createPublishedEvent({ name: 'a', payload: 2 }));
    await expect(refused).rejects.toSatisfy(isPublishError);
    await expect(refused).rejects.toMatchObject({ code: 'REJECTED' });
    expect(await messagesIn('SINK_FULL')).toBe(1);
  });

  it('says clearly and permanently when no stream captures the subject', async () => {
    const sink = new JetStreamSink({ connection, subject: () => 'nowhere.x' });
    const missing = sink.publish(createPublishedEvent({ name: 'a', payload: 1 }));
    await expect(missing).rejects.toMatchObject({ code: 'UNDELIVERABLE' });
    await expect(missing).rejects.toThrow(/no JetStream stream captures this subject/);
    await expect(missing.catch((error: unknown) => isPermanentPublishError(error))).resolves.toBe(true);
  });

  it('refuses an event over the server’s max_payload for good (INVALID_EVENT)', async () => {
    const sink = new JetStreamSink({ connection, subject: () => 'basic.large' });
    const large = sink.publish(createPublishedEvent({ name: 'a', payload: 'x'.repeat(2 * 1024 * 1024) }));
    await expect(large).rejects.toMatchObject({ code: 'INVALID_EVENT' });
    await expect(large.catch((error: unknown) => isPermanentPublishError(error))).resolves.toBe(true);
  });

  it('refuses a PubAck from another stream than the one it names', async () => {
    await stream('SINK_OTHER', ['other.>']);
    const sink = new JetStreamSink({ connection, subject: () => 'other.x', stream: 'SINK_EXPECTED' });
    await expect(sink.publish(createPublishedEvent({ name: 'a', payload: 1 }))).rejects.toMatchObject({
      code: 'REJECTED',
    });
    expect(await messagesIn('SINK_OTHER')).toBe(0);
  });

  it('writes a CloudEvent in the cloudevent layout', async () => {
    await stream('SINK_CE', ['ce.>']);
    const sink = new JetStreamSink({ connection, subject: () => 'ce.x', layout: 'cloudevent', source: '/orders' });
    const event = createPublishedEvent({ name: 'order:placed', payload: { orderId: 1 } });
    await sink.publish(event, { topic: 'orders' });
    const stored = await manager.streams.getMessage('SINK_CE', { seq: 1 });
    expect(stored?.json()).toMatchObject({
      specversion: '1.0',
      id: event.id,
      type: 'order:placed',
      source: '/orders',
      subject: 'orders',
      data: { orderId: 1 },
    });
    expect(stored?.header.get('content-type')).toContain('application/cloudevents+json');
  });

  it('opens its own connection from a URL, reports health, and refuses publishes once closed', async () => {
    await stream('SINK_OWN', ['own.>']);
    const sink = new JetStreamSink({ connection: server.url, subject: () => 'own.x' });
    expect(await sink.healthCheck()).toBe(true);
    await sink.publish(createPublishedEvent({ name: 'a', payload: 1 }));
    await sink.close();
    expect(await sink.healthCheck()).toBe(false);
    await expect(sink.publish(createPublishedEvent({ name: 'a', payload: 2 }))).rejects.toMatchObject({
      code: 'CLOSED',
    });
    expect(connection.isClosed()).toBe(false);
  });

  it('times out (retryable TIMEOUT) when the server does not answer', async () => {
    const stalled = await startNatsServer();
    const own = await connect({ servers: stalled.url, maxReconnectAttempts: -1, reconnectTimeWait: 50 });
    const sink = new JetStreamSink({ connection: own, subject: () => 'stall.x', timeoutMs: 300 });
    await jetstreamManager(own).then((stalledManager) =>
      stalledManager.streams.add({ name: 'STALL', subjects: ['stall.>'], storage: StorageType.File, num_replicas: 1 }),
    );
    stalled.node.signal('SIGSTOP');
    await stopped(stalled.node.pid);
    try {
      const stuck = sink.publish(createPublishedEvent({ name: 'a', payload: 1 }));
      await expect(stuck).rejects.toMatchObject({ code: 'TIMEOUT' });
      await expect(stuck.catch((error: unknown) => isPermanentPublishError(error))).resolves.toBe(false);
    } finally {
      stalled.node.signal('SIGCONT');
      await own.close().catch(() => undefined);
      await stalled.stop();
    }
  });
});

describe('checkStreamDurability', () => {
  it('warns for memory storage and one replica, naming each risk', async () => {
    await stream('DURA_MEMORY', ['dura.memory'], { storage: StorageType.Memory });
    const warnings: string[] = [];
    const report = await checkStreamDurability({
      connection,
      stream: 'DURA_MEMORY',
      logger: { warn: (object, message) => warnings.push(`${String(object['risk'])}: ${message}`) },
    });
    expect(report).toMatchObject({ stream: 'DURA_MEMORY', storage: 'memory', replicas: 1 });
    expect(report.risks.map((risk) => risk.code)).toEqual(expect.arrayContaining(['MEMORY_STORAGE', 'FEW_REPLICAS']));
    expect(warnings.some((line) => line.startsWith('MEMORY_STORAGE: stream DURA_MEMORY is held in memory'))).toBe(true);
    expect(warnings.some((line) => line.startsWith('FEW_REPLICAS: stream DURA_MEMORY has 1 replica'))).toBe(true);
  });

  it('names the server version when it cannot sync every write (nats-server before 2.10)', async () => {
    await stream('DURA_FILE', ['dura.file']);
    const report = await checkStreamDurability({ connection, stream: 'DURA_FILE', syncInterval: 'always' });
    const sync = report.risks.find((risk) => risk.code.startsWith('SYNC_'));
    if (server.syncAlways) expect(sync).toBeUndefined();
    else expect(sync?.message).toContain(`nats-server ${String(connection.info?.version)} cannot sync every write`);
  });

  it('fails with UNREACHABLE for a stream that does not exist', async () => {
    await expect(checkStreamDurability({ connection, stream: 'DURA_MISSING' })).rejects.toMatchObject({
      name: 'NatsError',
      code: 'UNREACHABLE',
    });
  });
});
