/**
 * The two brokers of the streams bench, behind one shape: NATS JetStream (`JetStreamSink`,
 * `JetStreamSource` of @events-protocol/nats) and Redis Streams (`RedisStreamSink` of
 * @events-protocol/publish/redis, `RedisStreamSource` of @events-protocol/server/streams). Each
 * opens a fresh, empty stream by name, a sink that publishes to it and waits for the server's
 * acknowledgement, and a source that reads it from the start.
 *
 * Runs from the sources (tsx), like the delivery bench.
 */
import * as nats from '@events-protocol/nats';
import { connect } from '@nats-io/transport-node';
import type { Sink } from '@events-protocol/publish';
import { RedisStreamSink } from '@events-protocol/publish/redis';
import { RedisStreamSource, type StreamSource } from '@events-protocol/server/streams';
import { Redis } from 'ioredis';

/** A stream opened for one measurement: its sink, a way to read it, and its clean-up. */
export interface OpenedStream {
  readonly sink: Sink;
  /** A new consumer (JetStream durable, Redis group) reading the stream from its first entry. */
  source(): StreamSource;
  close(): Promise<void>;
}

/** One broker of the comparison. */
export interface StreamBroker {
  /** `jetstream` or `redis-stream`: the prefix of the rows' keys. */
  readonly key: string;
  readonly name: string;
  /** Creates the empty stream `name` and opens a sink publishing to it. */
  openStream(name: string): Promise<OpenedStream>;
  close(): Promise<void>;
}

/**
 * JetStream: one stream per name (file storage, one replica: a single server), its subject
 * `events.<name>`; the sink awaits each PubAck, the source is a durable pull consumer with explicit
 * acks confirmed by the server (`ackAck`).
 */
export async function openJetStream(url: string): Promise<StreamBroker> {
  const connection = await connect({ servers: url });
  return {
    key: 'jetstream',
    name: 'JetStream',
    async openStream(name) {
      const target = { topic: name, endpoint: url, options: { replicas: 1, storage: 'file' as const } };
      await nats.setupJetStreamTopic(target);
      const stream = nats.jetStreamTopicStream(target);
      const sink = await nats.createJetStreamTopicSink(target);
      let consumers = 0;
      return {
        sink,
        source: () => new nats.JetStreamSource({ connection, stream, durable: `bench-${(consumers += 1)}` }),
        close: () => sink.close?.() ?? Promise.resolve(),
      };
    },
    close: () => connection.drain(),
  };
}

/**
 * Redis Streams: one stream per name; the sink awaits each `XADD` reply, the source is a consumer
 * group (`XREADGROUP`, `XACK` awaited) on its own connection.
 */
export function openRedisStreams(url: string): StreamBroker {
  const reader = new Redis(url);
  return {
    key: 'redis-stream',
    name: 'Redis Streams',
    async openStream(name) {
      const stream = `events:${name}`;
      await reader.del(stream);
      const sink = new RedisStreamSink({ redis: url, stream: () => stream });
      let groups = 0;
      return {
        sink,
        source: () => new RedisStreamSource(reader, { stream, group: `bench-${(groups += 1)}` }),
        close: () => sink.close(),
      };
    },
    close: async () => {
      await reader.quit();
    },
  };
}
