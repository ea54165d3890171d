// The engine: no store, and so no database driver, is loaded from here. Stores are subpaths:
// '@events-protocol/outbox/sqlite', '/postgres' and '/redis'.
export { Outbox, maxBatchSize } from './outbox.js';
export type {
  OutboxOptions,
  OutboxEnqueueOptions,
  OutboxDelivery,
  OutboxItem,
  OutboxItemsOptions,
  PurgeSelection,
} from './outbox.js';
export { maxEntryIdLength } from './outbox-entry.js';
export { OutboxRelay } from './outbox-relay.js';
export type {
  OutboxRelayOptions,
  RelayBatchResult,
  RelaySchedule,
  ScheduleResolver,
  AttemptReport,
} from './relay-options.js';
export { DeliveryMetrics } from './delivery-metrics.js';
export type { DeliveryMetricsOptions, DeliveryObserver } from './delivery-metrics.js';
export {
  defaultAttemptDurationBucketsMs,
  defaultDeliveryLatencyBucketsMs,
  otherTopicsLabel,
} from './delivery-measurement.js';
export type {
  DeliveryQueueStats,
  DeliveryStatsSource,
  DeliveryMeasurement,
  QueueReading,
} from './delivery-measurement.js';
export { PrometheusScrape, prometheusContentType } from './prometheus-scrape.js';
export type { PrometheusTextSource, PrometheusScrapeOptions } from './prometheus-scrape.js';
export { OpenTelemetryDeliveryMetricNames } from './open-telemetry-delivery-metrics.js';
export type {
  DeliveryMeter,
  DeliveryMetricsRegistration,
  DeliveryAttributes,
  DeliveryInstrumentOptions,
  DeliveryObservable,
  DeliveryBatchResult,
  DeliveryBatchCallback,
} from './open-telemetry-delivery-metrics.js';
export { registerGaugeBatch } from './observable-gauges.js';
export type { GaugeMeter, GaugeDefinition } from './observable-gauges.js';
export { throughQueue } from './through-queue.js';
export type { QueuedSink, ThroughQueueOptions } from './through-queue.js';
export { openOutboxStore } from './open-outbox-store.js';
export type { OpenOutboxStoreOptions } from './open-outbox-store.js';
export { OutboxError, OutboxErrorCode, isOutboxError } from './outbox-error.js';
export type { OutboxLogger } from './outbox-logger.js';

// The store contract, for operators' views and for store authors.
export { maxKeptAttempts } from './outbox-store.js';
export type {
  OutboxStore,
  OutboxEntry,
  OutboxStats,
  AttemptRecord,
  AttemptFailure,
  ClaimOptions,
  ClaimedEvent,
  Settlement,
  EntryState,
  StoredEntry,
  PendingEvent,
  UndeliveredEvent,
  UndeliveredFilter,
  PageOptions,
  Page,
  ListPendingOptions,
  ListUndeliveredOptions,
  UndeliveredPage,
  RedeliverSelection,
} from './outbox-store.js';
