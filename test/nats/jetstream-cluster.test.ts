import { JetStreamSink } from '@events-protocol/nats';
import { createPublishedEvent, type PublishedEvent } from '@events-protocol/publish';
import { AckPolicy, jetstream, jetstreamManager, StorageType } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { startNatsCluster } from '../support/nats-server.js';

const events = 600;
const concurrency = 4;
const stream = 'CLUSTER_EVENTS';

function connectTo(urls: readonly string[]): Promise<NatsConnection> {
  return connect({ servers: [...urls], maxReconnectAttempts: -1, reconnectTimeWait: 100, timeout: 5000 });
}

/**
 * Publishes each event until the stream acknowledges it, as the outbox relay would; every tenth
 * event is published once more after its acknowledgement, as by a relay that crashed before it
 * recorded the delivery. Returns the acknowledged ids.
 */
async function publishAll(sink: JetStreamSink, all: readonly PublishedEvent[], onAck: () => void) {
  const acknowledged = new Set<string>();
  let attempts = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < all.length) {
      const event = all[next++] as PublishedEvent;
      // Paced, so that publishing goes on through the node's death, the election and the rejoin.
      await sleep(10);
      for (let attempt = 0; attempt < 200; attempt += 1) {
        attempts += 1;
        try {
          await sink.publish(event);
          if (all.indexOf(event) % 10 === 0) await sink.publish(event);
          acknowledged.add(event.id);
          onAck();
          break;
        } catch {
          await sleep(50);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { acknowledged, attempts };
}

/** Reads the durable consumer, acking each message, until `stop()` says so; returns every delivery's event id. */
function consumeAll(connection: NatsConnection) {
  const delivered: string[] = [];
  let stopped = false;
  const running = (async () => {
    const consumers = jetstream(connection, { timeout: 3000 }).consumers;
    while (!stopped) {
      try {
        const consumer = await consumers.get(stream, 'reader');
        const batch = await consumer.fetch({ max_messages: 100, expires: 1000 });
        for await (const message of batch) {
          delivered.push(message.json<{ id: string }>().id);
          message.ack();
        }
      } catch {
        await sleep(100);
      }
    }
  })();
  return {
    delivered,
    stop: async () => {
      stopped = true;
      await running;
    },
  };
}

describe('JetStreamSink on a 3-node JetStream cluster with a node SIGKILLed', () => {
  it('loses no acknowledged event, and any duplicate has the same id', { timeout: 300_000 }, async () => {
    await using cluster = await startNatsCluster();
    const admin = await connectTo(cluster.urls);
    const publishing = await connectTo(cluster.urls);
    const consuming = await connectTo(cluster.urls);
    try {
      const manager = await jetstreamManager(admin, { timeout: 5000 });
      await manager.streams.add({
        name: stream,
        subjects: ['cluster.>'],
        storage: StorageType.File,
        num_replicas: 3,
        duplicate_window: 120_000_000_000,
      });
      await manager.consumers.add(stream, {
        durable_name: 'reader',
        ack_policy: AckPolicy.Explicit,
        ack_wait: 5_000_000_000,
      });

      const sink = await JetStreamSink.open({
        connection: publishing,
        subject: () => 'cluster.orders',
        stream,
        timeoutMs: 2000,
        // The helper configures `sync_interval: always` where the server supports it (2.10+).
        ...(cluster.syncAlways ? { syncInterval: 'always' } : {}),
      });
      // File storage and 3 replicas: quiet, but for a server too old to sync every write.
      const risks = sink.durability?.risks.map((risk) => risk.code) ?? ['not checked'];
      expect(risks).toEqual(cluster.syncAlways ? [] : ['SYNC_NOT_ALWAYS']);

      const consumer = consumeAll(consuming);
      const all = Array.from({ length: events }, (_, index) =>
        createPublishedEvent({ name: 'order:placed', payload: { index } }),
      );
      let acked = 0;
      let killedAt: Promise<number> | undefined;
      let restarted: Promise<void> | undefined;
      const fault = { killed: '', rejoined: false };
      const published = publishAll(sink, all, () => {
        acked += 1;
        if (acked === Math.floor(events / 3)) {
          killedAt = (async () => {
            const leader = (await manager.streams.info(stream)).cluster?.leader ?? 'n0';
            const index = cluster.nodes.findIndex((node) => node.name === leader);
            fault.killed = leader;
            await cluster.kill(index);
            return index;
          })();
        }
        if (acked === Math.floor((2 * events) / 3) && killedAt !== undefined) {
          restarted = killedAt.then(async (index) => {
            await cluster.restart(index);
            fault.rejoined = true;
          });
        }
      });
      const { acknowledged, attempts } = await published;
      await killedAt;
      await restarted;
      expect(fault.killed).not.toBe('');
      expect(fault.rejoined).toBe(true);

      // The consumer reads until it has seen every acknowledged event, or for at most two minutes.
      for (let waited = 0; waited < 120_000; waited += 250) {
        const seen = new Set(consumer.delivered);
        if ([...acknowledged].every((id) => seen.has(id))) break;
        await sleep(250);
      }
      await consumer.stop();

      const info = await manager.streams.info(stream);
      const stored: string[] = [];
      for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq += 1) {
        const message = await manager.streams.getMessage(stream, { seq });
        if (message !== null) stored.push(message.json<{ id: string }>().id);
      }
      const storedIds = new Set(stored);
      const lost = [...acknowledged].filter((id) => !storedIds.has(id));
      const notConsumed = [...acknowledged].filter((id) => !consumer.delivered.includes(id));
      const known = new Set(all.map((event) => event.id));

      console.info(
        `cluster: killed ${fault.killed}; ${acknowledged.size}/${events} acknowledged in ${attempts} attempts; ` +
          `${stored.length} stored; ${consumer.delivered.length} deliveries, ${new Set(consumer.delivered).size} distinct`,
      );
      expect(acknowledged.size).toBe(events);
      expect(lost).toEqual([]);
      expect(notConsumed).toEqual([]);
      // Every stored message is one of the events, each at most once: retries were deduplicated by id.
      expect(stored.length).toBe(storedIds.size);
      expect(stored.every((id) => known.has(id))).toBe(true);
      // Redeliveries repeat an id the stream holds; nothing is delivered that was not published.
      expect(consumer.delivered.every((id) => storedIds.has(id))).toBe(true);
      await sink.close();
    } finally {
      await Promise.all([admin, publishing, consuming].map((connection) => connection.close().catch(() => undefined)));
    }
  });
});
