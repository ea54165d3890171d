import { randomUUID } from 'node:crypto';
import { serializeEvent } from '@events-protocol/publish';
import { deadLetterHeaders, JetStreamSource } from '@events-protocol/nats';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import type { DeadLetterRecord, StreamUnderTest } from './stream-harness.js';

function eventIdOf(body: string): string | undefined {
  try {
    const value = JSON.parse(body) as { id?: unknown };
    return typeof value.id === 'string' ? value.id : undefined;
  } catch {
    return undefined;
  }
}

async function readDeadLetters(manager: JetStreamManager, stream: string): Promise<DeadLetterRecord[]> {
  const { state } = await manager.streams.info(stream);
  const letters: DeadLetterRecord[] = [];
  for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq += 1) {
    const stored = await manager.streams.getMessage(stream, { seq });
    if (stored === null) continue;
    const answer = stored.header.get(deadLetterHeaders.answer);
    letters.push({
      eventId: eventIdOf(stored.string()),
      reason: stored.header.get(deadLetterHeaders.reason),
      attempts: Number(stored.header.get(deadLetterHeaders.attempts)),
      answerName: answer === '' ? undefined : (JSON.parse(answer) as { name: string }).name,
    });
  }
  return letters;
}

/**
 * A fresh stream (`subjects: <prefix>.>`), its dead-letter stream and a durable consumer name on a
 * real nats-server; events are published as the JetStream sink writes them (the event's JSON, the
 * event id as `Nats-Msg-Id`).
 */
export async function startJetStream(connection: NatsConnection, url: string): Promise<StreamUnderTest> {
  const token = randomUUID().replaceAll('-', '');
  const stream = `T${token}`;
  const subject = `t${token}.events`;
  const deadLetterSubject = `deadletter.${stream}`;
  const durable = 'consumers';
  const manager = await jetstreamManager(connection);
  const client = jetstream(connection);
  await manager.streams.add({ name: stream, subjects: [`t${token}.>`] });
  await manager.streams.add({ name: `${stream}_DEAD`, subjects: [deadLetterSubject] });
  return {
    consumerEnv: {
      STREAM_KIND: 'jetstream',
      BROKER_URL: url,
      STREAM: stream,
      GROUP: durable,
      DEAD_SUBJECT: deadLetterSubject,
    },
    source: (options = {}) =>
      new JetStreamSource({
        connection,
        stream,
        durable,
        deadLetterSubject,
        ...(options.leaseMs === undefined ? {} : { ackWaitMs: options.leaseMs }),
      }),
    publish: async (event) => {
      await client.publish(subject, serializeEvent(event, 'jetstream'), { msgID: event.id });
    },
    publishText: async (text) => {
      await client.publish(subject, text);
    },
    deadLetters: () => readDeadLetters(manager, `${stream}_DEAD`),
    unsettled: async () => {
      try {
        const info = await manager.consumers.info(stream, durable);
        return info.num_pending + info.num_ack_pending;
      } catch {
        return (await manager.streams.info(stream)).state.messages;
      }
    },
    [Symbol.asyncDispose]: async () => {
      await manager.streams.delete(stream);
      await manager.streams.delete(`${stream}_DEAD`);
    },
  };
}
