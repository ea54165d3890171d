export { DurableTopicPublisher } from './durable-topic-publisher.js';
export type { DurableTopicPublisherOptions, PublishOutcome, TopicPublishOptions } from './durable-topic-publisher.js';
export { readTopicsConfig, loadTopicsConfig, topicsConfigSchema } from './topics-config.js';
export type { TopicsConfig, TopicsConfigInput } from './topics-config.js';
export { applyTopicsConfig, topicsFromConfig } from './topics-from-config.js';
export type { ConfiguredTopics, CreatedResource } from './topics-from-config.js';
export {
  builtInTargetTypes,
  httpTargetType,
  redisTargetType,
  eventsTargetType,
  jetstreamTargetType,
} from './topic-target-type.js';
export type { TopicTarget, TopicTargetType } from './topic-target-type.js';
export { TopicsError, TopicsErrorCode, isTopicsError } from './topics-error.js';
export type { TopicsConfigIssue } from './topics-error.js';
