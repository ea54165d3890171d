import { EventsProtocolSink, HttpSink, type Sink } from '@events-protocol/publish';
import { z } from 'zod';

/** One configured topic: where its events go and how. */
export interface TopicTarget<TOptions = Record<string, unknown>> {
  readonly topic: string;
  readonly type: string;
  readonly endpoint: string;
  readonly options: TOptions;
}

/**
 * A kind of target topics may be configured with: `http`, `redis`, `events` and `jetstream` are built in;
 * register your own (a queue, a bus) under a name of your choosing.
 */
export interface TopicTargetType<TOptions = Record<string, unknown>> {
  /** Validates the target's `options`. */
  readonly options: z.ZodType<TOptions>;
  /** What is wrong with an endpoint, or `undefined` when it is fine. */
  checkEndpoint?(endpoint: string): string | undefined;
  /** The sink events of the topic are published to (a promise for a type that loads its driver first). */
  createSink(target: TopicTarget<TOptions>): Sink | Promise<Sink>;
  /** Creates what the target needs (a stream, a consumer group) when missing; names what it created. */
  setup?(target: TopicTarget<TOptions>): Promise<string[]>;
}

/** The object without its `undefined` values, as options with exact optional properties want. */
function defined<T extends object>(object: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

const httpUrl = (endpoint: string): string | undefined =>
  /^https?:\/\/[^/]/i.test(endpoint) && URL.canParse(endpoint) ? undefined : 'must be an http(s) URL';

const timeouts = z.union([
  z.number().int().positive(),
  z.strictObject({ connectMs: z.number().int().positive(), responseMs: z.number().int().positive() }),
]);

const httpOptions = z.strictObject({
  auth: z
    .discriminatedUnion('type', [
      z.strictObject({ type: z.literal('basic'), username: z.string().min(1), password: z.string() }),
      z.strictObject({ type: z.literal('bearer'), token: z.string().min(1) }),
    ])
    .optional(),
  headers: z.record(z.string(), z.string()).optional(),
  timeouts: timeouts.optional(),
});

const redisOptions = z.strictObject({
  /** The stream; `events:<topic>` by default. */
  stream: z.string().min(1).optional(),
  /** The consumer group created by setup for the topic's consumers; `consumers` by default. */
  group: z.string().min(1).default('consumers'),
  /** Trim the stream to about this many entries. */
  maxLength: z.number().int().positive().optional(),
});

const eventsOptions = z.strictObject({
  timeout: z.number().int().positive().optional(),
  headers: z.record(z.string(), z.string()).optional(),
});

/** `http`: POST each event as JSON to the endpoint (see HttpSink). */
export const httpTargetType: TopicTargetType<z.output<typeof httpOptions>> = {
  options: httpOptions,
  checkEndpoint: httpUrl,
  createSink: ({ topic, endpoint, options }) =>
    new HttpSink({ ...defined(options), url: endpoint, name: `http:${topic}` }),
};

function streamOf(target: TopicTarget<z.output<typeof redisOptions>>): string {
  return target.options.stream ?? `events:${target.topic}`;
}

/**
 * `redis`: XADD each event to a stream (see RedisStreamSink); setup creates the stream and its
 * consumer group. ioredis (an optional peer dependency) is loaded only when a topic uses it.
 */
export const redisTargetType: TopicTargetType<z.output<typeof redisOptions>> = {
  options: redisOptions,
  checkEndpoint: (endpoint) => (/^rediss?:\/\//i.test(endpoint) ? undefined : 'must be a redis:// URL'),
  async createSink(target) {
    const { RedisStreamSink } = await import('@events-protocol/publish/redis');
    return new RedisStreamSink({
      redis: target.endpoint,
      stream: () => streamOf(target),
      ...(target.options.maxLength === undefined ? {} : { maxLength: target.options.maxLength }),
    });
  },
  async setup(target) {
    const { Redis } = await import('ioredis');
    const redis = new Redis(target.endpoint, { maxRetriesPerRequest: 1, lazyConnect: true });
    redis.on('error', () => undefined);
    try {
      await redis.connect();
      const stream = streamOf(target);
      const existed = (await redis.exists(stream)) === 1;
      let groupCreated = true;
      try {
        await redis.xgroup('CREATE', stream, target.options.group, '$', 'MKSTREAM');
      } catch (error) {
        if (!(error instanceof Error && error.message.startsWith('BUSYGROUP'))) throw error;
        groupCreated = false;
      }
      return [
        ...(existed ? [] : [`redis stream ${stream}`]),
        ...(groupCreated ? [`consumer group ${target.options.group} on ${stream}`] : []),
      ];
    } finally {
      redis.disconnect();
    }
  },
};

const jetstreamOptions = z.strictObject({
  /** The stream; `EVENTS_<TOPIC>` by default. */
  stream: z
    .string()
    .regex(/^[^\s.*>/\\]+$/, 'a JetStream stream name: no spaces, dots, wildcards or slashes')
    .optional(),
  /** The subject the topic's events are published on; `events.<topic>` by default. */
  subject: z
    .string()
    .regex(/^[^\s*>]+$/, 'a NATS subject without wildcards')
    .optional(),
  /** The stream's replicas: 3 by default, so one failed node loses no acknowledged event. */
  replicas: z.number().int().min(1).max(5).default(3),
  storage: z.enum(['file', 'memory']).default('file'),
  /** The window in which a repeated event id is dropped, in ms; 2 minutes by default. */
  duplicateWindowMs: z.number().int().positive().default(120_000),
  maxAgeMs: z.number().int().positive().optional(),
  /** A durable consumer setup creates for the topic's readers (explicit acks). */
  consumer: z.string().min(1).optional(),
  timeoutMs: z.number().int().positive().optional(),
  /** The servers' `jetstream { sync_interval }` as configured (`always`), for the durability check. */
  syncInterval: z.string().min(1).optional(),
});

type JetStreamTopicOptions = z.output<typeof jetstreamOptions>;

/** What this package uses of `@events-protocol/nats`, which it loads only for a `jetstream` topic. */
interface NatsTopicModule {
  createJetStreamTopicSink(target: TopicTarget<JetStreamTopicOptions>): Promise<Sink>;
  setupJetStreamTopic(target: TopicTarget<JetStreamTopicOptions>): Promise<string[]>;
}

// A variable, so the compiler does not require the optional package to be installed.
const natsPackage = '@events-protocol/nats';

async function loadNats(): Promise<NatsTopicModule> {
  try {
    return (await import(natsPackage)) as NatsTopicModule;
  } catch (error) {
    throw new Error(
      `a 'jetstream' topic needs the package ${natsPackage}: install it next to @events-protocol/topics`,
      {
        cause: error,
      },
    );
  }
}

/**
 * `jetstream`: publish each event to NATS JetStream and wait for its acknowledgement (see
 * `JetStreamSink` in `@events-protocol/nats`, an optional peer loaded only when a topic uses it).
 * Setup creates the stream (file storage, 3 replicas, the duplicate window) and a durable consumer
 * when `consumer` is set; the sink checks the stream's durability as it opens.
 */
export const jetstreamTargetType: TopicTargetType<JetStreamTopicOptions> = {
  options: jetstreamOptions,
  checkEndpoint: (endpoint) =>
    endpoint.split(',').every((url) => /^(nats|tls):\/\/[^/\s]/i.test(url.trim()))
      ? undefined
      : 'must be a nats:// URL, or several separated by commas',
  createSink: async (target) => (await loadNats()).createJetStreamTopicSink(target),
  setup: async (target) => (await loadNats()).setupJetStreamTopic(target),
};

/** `events`: send each event to an events-protocol server (see EventsProtocolSink). */
export const eventsTargetType: TopicTargetType<z.output<typeof eventsOptions>> = {
  options: eventsOptions,
  checkEndpoint: httpUrl,
  createSink: ({ topic, endpoint, options }) =>
    new EventsProtocolSink({ ...defined(options), url: endpoint, name: `events:${topic}` }),
};

/** The built-in target types by name. */
export const builtInTargetTypes: Readonly<Record<string, TopicTargetType<unknown>>> = {
  http: httpTargetType,
  redis: redisTargetType,
  events: eventsTargetType,
  jetstream: jetstreamTargetType,
};
