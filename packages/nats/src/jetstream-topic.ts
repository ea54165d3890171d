import type { Sink } from '@events-protocol/publish';
import { AckPolicy, jetstreamManager, StorageType, type JetStreamManager, type StreamInfo } from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { JetStreamSink } from './jetstream-sink.js';
import { NatsError, NatsErrorCode } from './nats-error.js';
import { describeNatsError } from './nats-failure.js';

/** What a `jetstream` topic target says, its defaults filled in (the topics package checks them). */
export interface JetStreamTopicOptions {
  /** The stream; `EVENTS_<TOPIC>` by default. */
  readonly stream?: string | undefined;
  /** The subject the topic's events are published on; `events.<topic>` by default. */
  readonly subject?: string | undefined;
  /** The stream's replicas; 3 by default, so one failed node loses no acknowledged event. */
  readonly replicas?: number | undefined;
  /** `file` (the default) or `memory`. */
  readonly storage?: 'file' | 'memory' | undefined;
  /** The deduplication window of event ids, in ms; 2 minutes by default. */
  readonly duplicateWindowMs?: number | undefined;
  /** How long the stream keeps messages, in ms; for ever by default. */
  readonly maxAgeMs?: number | undefined;
  /** A durable consumer the setup creates for the topic's readers (explicit acks). */
  readonly consumer?: string | undefined;
  /** How long a publish waits for its PubAck, in ms. */
  readonly timeoutMs?: number | undefined;
  /** The servers' `jetstream { sync_interval }` as configured, for the durability check. */
  readonly syncInterval?: string | undefined;
}

/** One configured topic of type `jetstream`: its name, the NATS server URLs and its options. */
export interface JetStreamTopicTarget {
  readonly topic: string;
  /** `nats://host:4222`, or several separated by commas. */
  readonly endpoint: string;
  readonly options: JetStreamTopicOptions;
}

/** The stream of a topic: its own, or `EVENTS_<TOPIC>` with what a stream name cannot hold as `_`. */
export function jetStreamTopicStream(target: JetStreamTopicTarget): string {
  return target.options.stream ?? `EVENTS_${target.topic.toUpperCase().replace(/[^A-Z0-9_-]/g, '_')}`;
}

/** The subject of a topic's events: its own, or `events.<topic>`. */
export function jetStreamTopicSubject(target: JetStreamTopicTarget): string {
  return target.options.subject ?? `events.${target.topic}`;
}

/** The sink a `jetstream` topic publishes to: its stream's durability is checked as it opens. */
export function createJetStreamTopicSink(target: JetStreamTopicTarget): Promise<Sink> {
  const subject = jetStreamTopicSubject(target);
  const { timeoutMs, syncInterval } = target.options;
  return JetStreamSink.open({
    connection: target.endpoint,
    name: `jetstream:${target.topic}`,
    stream: jetStreamTopicStream(target),
    subject: () => subject,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(syncInterval === undefined ? {} : { syncInterval }),
  });
}

async function streamInfo(manager: JetStreamManager, stream: string): Promise<StreamInfo | undefined> {
  try {
    return await manager.streams.info(stream);
  } catch (error) {
    if ((error as { name?: unknown }).name === 'StreamNotFoundError') return undefined;
    throw error;
  }
}

/**
 * Creates a `jetstream` topic's stream (file storage and 3 replicas unless told, the duplicate
 * window, the topic's subject) and its durable consumer when configured, or brings an existing
 * stream to the configuration (subjects, replicas, window, age); names what it created or
 * changed, nothing when all was in place.
 *
 * @throws {NatsError} `INVALID_OPTIONS` when the stream exists with another storage (JetStream
 * cannot change it); `UNREACHABLE` when JetStream cannot be reached or refuses the change.
 */
export async function setupJetStreamTopic(target: JetStreamTopicTarget): Promise<string[]> {
  const stream = jetStreamTopicStream(target);
  const subject = jetStreamTopicSubject(target);
  const { options } = target;
  const storage = options.storage === 'memory' ? StorageType.Memory : StorageType.File;
  const replicas = options.replicas ?? 3;
  const window = nanos(options.duplicateWindowMs ?? 120_000);
  const maxAge = options.maxAgeMs === undefined ? 0 : nanos(options.maxAgeMs);
  let connection;
  try {
    connection = await connect({ servers: target.endpoint.split(',').map((url) => url.trim()) });
  } catch (error) {
    throw new NatsError(
      NatsErrorCode.Unreachable,
      `cannot connect to NATS at ${target.endpoint}: ${describeNatsError(error)}`,
      { cause: error },
    );
  }
  const done: string[] = [];
  try {
    const manager = await jetstreamManager(connection);
    const info = await streamInfo(manager, stream);
    const described = `${storage} storage, ${replicas} replica${replicas === 1 ? '' : 's'}`;
    if (info === undefined) {
      await manager.streams.add({
        name: stream,
        subjects: [subject],
        storage,
        num_replicas: replicas,
        duplicate_window: window,
        max_age: maxAge,
      });
      done.push(`jetstream stream ${stream} on ${subject} (${described})`);
    } else {
      if (info.config.storage !== storage) {
        throw new NatsError(
          NatsErrorCode.InvalidOptions,
          `jetstream stream ${stream} has ${info.config.storage} storage, the topic ${target.topic} asks for ${storage}: JetStream cannot change a stream's storage`,
        );
      }
      const subjects = info.config.subjects.includes(subject)
        ? info.config.subjects
        : [...info.config.subjects, subject];
      const changed =
        subjects !== info.config.subjects ||
        info.config.num_replicas !== replicas ||
        info.config.duplicate_window !== window ||
        info.config.max_age !== maxAge;
      if (changed) {
        await manager.streams.update(stream, {
          ...info.config,
          subjects,
          num_replicas: replicas,
          duplicate_window: window,
          max_age: maxAge,
        });
        done.push(`jetstream stream ${stream} updated (${described})`);
      }
    }
    if (options.consumer !== undefined && !(await hasConsumer(manager, stream, options.consumer))) {
      await manager.consumers.add(stream, {
        durable_name: options.consumer,
        ack_policy: AckPolicy.Explicit,
        filter_subject: subject,
      });
      done.push(`jetstream durable consumer ${options.consumer} on ${stream}`);
    }
    return done;
  } catch (error) {
    if (error instanceof NatsError) throw error;
    throw new NatsError(
      NatsErrorCode.Unreachable,
      `setting up jetstream stream ${stream} failed: ${describeNatsError(error)}`,
      { cause: error },
    );
  } finally {
    await connection.close();
  }
}

async function hasConsumer(manager: JetStreamManager, stream: string, name: string): Promise<boolean> {
  try {
    await manager.consumers.info(stream, name);
    return true;
  } catch (error) {
    if ((error as { name?: unknown }).name === 'ConsumerNotFoundError') return false;
    throw error;
  }
}
