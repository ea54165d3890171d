import { Outbox, openOutboxStore } from '@events-protocol/outbox';
import type { Sink } from '@events-protocol/publish';
import { DurableTopicPublisher } from './durable-topic-publisher.js';
import { builtInTargetTypes, type TopicTargetType } from './topic-target-type.js';
import type { TopicsConfig } from './topics-config.js';
import { TopicsError, TopicsErrorCode } from './topics-error.js';

/** One thing {@link applyTopicsConfig} created. */
export interface CreatedResource {
  /** The topic it serves, or `undefined` for the shared outbox. */
  readonly topic: string | undefined;
  readonly resource: string;
}

async function outboxOf(config: TopicsConfig): Promise<Outbox> {
  if (config.outbox === undefined) {
    throw new TopicsError(
      TopicsErrorCode.InvalidConfig,
      'the configuration has no outbox: add { "outbox": { "store": "sqlite:<file>" } }',
    );
  }
  const { store, table, prefix } = config.outbox;
  return new Outbox({
    store: await openOutboxStore(store, {
      ...(table === undefined ? {} : { table }),
      ...(prefix === undefined ? {} : { prefix }),
    }),
  });
}

function typeOf(types: Readonly<Record<string, TopicTargetType<unknown>>>, type: string): TopicTargetType<unknown> {
  const found = types[type];
  if (found === undefined) throw new TopicsError(TopicsErrorCode.InvalidConfig, `unknown topic type '${type}'`);
  return found;
}

/**
 * Creates what each target and the outbox need (Redis streams and consumer groups, outbox tables)
 * when missing, and reports what it created: nothing on a second run. Run it at deploy time, from
 * code or with `events topics apply <config>`.
 */
export async function applyTopicsConfig(
  config: TopicsConfig,
  targetTypes: Readonly<Record<string, TopicTargetType<unknown>>> = {},
): Promise<CreatedResource[]> {
  const types = { ...builtInTargetTypes, ...targetTypes };
  const created: CreatedResource[] = [];
  if (config.outbox !== undefined) {
    const outbox = await outboxOf(config);
    try {
      for (const resource of await outbox.setup()) created.push({ topic: undefined, resource: `outbox ${resource}` });
    } finally {
      await outbox.store.close();
    }
  }
  for (const target of config.topics) {
    const type = typeOf(types, target.type);
    if (type.setup === undefined) continue;
    for (const resource of await type.setup(target)) created.push({ topic: target.topic, resource });
  }
  return created;
}

/** A publisher made from a configuration, and how to release everything it opened. */
export interface ConfiguredTopics {
  readonly publisher: DurableTopicPublisher;
  /** Closes the topics' sinks and the outbox store. */
  readonly close: () => Promise<void>;
}

/**
 * A {@link DurableTopicPublisher} for a configuration: a sink per topic and the configured outbox.
 * Each store and target loads its driver only when the configuration uses it.
 */
export async function topicsFromConfig(
  config: TopicsConfig,
  targetTypes: Readonly<Record<string, TopicTargetType<unknown>>> = {},
): Promise<ConfiguredTopics> {
  const types = { ...builtInTargetTypes, ...targetTypes };
  const outbox = await outboxOf(config);
  const sinks = new Map<string, Sink>();
  try {
    for (const target of config.topics) sinks.set(target.topic, await typeOf(types, target.type).createSink(target));
  } catch (error) {
    await Promise.allSettled([...sinks.values()].map(async (sink) => sink.close?.()));
    await outbox.store.close();
    throw error;
  }
  const publisher = new DurableTopicPublisher({ topics: sinks, outbox, publishTimeoutMs: config.publishTimeoutMs });
  return {
    publisher,
    close: async () => {
      await publisher.close();
      await outbox.store.close();
    },
  };
}
