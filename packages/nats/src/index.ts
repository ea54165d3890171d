export { JetStreamSink } from './jetstream-sink.js';
export type { JetStreamSinkOptions } from './jetstream-sink-options.js';
export { defaultJetStreamSubject } from './jetstream-sink-options.js';
export { JetStreamSource, deadLetterHeaders, type JetStreamSourceOptions } from './jetstream-source.js';
export { natsAttributeHeaderPrefix } from './jetstream-message.js';
export { checkStreamDurability } from './check-stream-durability.js';
export type { StreamDurabilityOptions, NatsLogger } from './check-stream-durability.js';
export { assessStreamDurability, supportsSyncAlways, recommendedReplicas } from './stream-durability.js';
export type { DurabilityReport, DurabilityRisk, DurabilityFacts } from './stream-durability.js';
export type { NatsConnectionSource } from './nats-connection-holder.js';
export { NatsError, NatsErrorCode, isNatsError } from './nats-error.js';
export { serveEventsOverNats } from './serve-events-over-nats.js';
export type { NatsEventServer, NatsEventServerOptions } from './serve-events-over-nats.js';
export { NatsTransport } from './nats-transport.js';
export type { NatsTransportOptions } from './nats-transport.js';
export { natsTransportHeaders } from './nats-transport-headers.js';
export { subjectOfRequest } from './request-subjects.js';
export {
  createJetStreamTopicSink,
  setupJetStreamTopic,
  jetStreamTopicStream,
  jetStreamTopicSubject,
} from './jetstream-topic.js';
export type { JetStreamTopicTarget, JetStreamTopicOptions } from './jetstream-topic.js';
