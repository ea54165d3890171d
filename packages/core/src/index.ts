export { EventErrorType, isKnownEventErrorType, isBareErrorType } from './error-type.js';
export type { KnownEventErrorType, EventErrorTypeName } from './error-type.js';
export { EventError, isEventError } from './event-error.js';
export type { EventErrorContract, EventErrorOptions } from './event-error.js';
export { defaultErrorCode } from './contract-error.js';
export type { ContractErrorOptions } from './contract-error.js';
export { defineErrorFamily, errorGuard, errorFamilyBrand } from './error-family.js';
export type {
  ErrorFamily,
  ErrorFamilyClass,
  ErrorFamilyOptions,
  ErrorBaseClass,
  ErrorCodeOf,
  FamilyError,
  FamilyErrorOptions,
} from './error-family.js';
export type { ErrorIssue, ErrorIssuePath } from './error-issue.js';
export { errorCodes } from './error-codes.js';
export type { ErrorCodeInfo, ErrorCodeName, ErrorCodeRetryable } from './error-codes.js';
export { EventMessageCode, eventMessageSchema } from './event-message.js';
export type { EventMessage } from './event-message.js';
export { eventFieldNames, jsonObjectSchema } from './event-envelope.js';
export type { EventEnvelope, JsonObject } from './event-envelope.js';
export {
  requestEventSchema,
  strictRequestEventSchema,
  readRequestEvent,
  readParsedRequestEvent,
} from './request-event.js';
export type { RequestEvent, RequestEventReadResult } from './request-event.js';
export {
  responseEventSchema,
  readResponseEvent,
  readResponseOutcome,
  responseNameFor,
  errorNameFor,
  isSuccessResponse,
  errorTypeOf,
} from './response-event.js';
export type { ResponseEvent, ResponseEventDefaults, ResponseOutcome } from './response-event.js';
export { EventBuilder, newEventId } from './event-builder.js';
export type { RequestEventInit, ResponseEventInit, RequestEventKey } from './event-builder.js';
export { defineEvent, zodSchemaOf, contractJsonSchemas, errorJsonSchemas } from './define-event.js';
export type {
  EventContract,
  ContractErrorSchemas,
  ContractSchema,
  ContractErrorType,
  ContractErrorParameters,
  ErrorJsonSchema,
  ContractPayload,
  ContractPayloadInput,
  ContractResponse,
  ContractResponseInput,
  ContractJsonSchemas,
  JsonSchema,
  EventDeprecation,
} from './define-event.js';
export { validateSchema, genericIssueCode } from './validate-schema.js';
export type { SchemaIssue, SchemaValidation } from './validate-schema.js';
export { schemaJsonSchema } from './schema-json-schema.js';
export type { JsonSchemaSide } from './schema-json-schema.js';
export { isStandardSchema } from './standard-schema.js';
export type {
  StandardSchemaV1,
  StandardSchemaProps,
  StandardTypes,
  StandardResult,
  StandardSuccess,
  StandardFailure,
  StandardIssue,
  StandardPathSegment,
  StandardJsonSchemaConverter,
  StandardJsonSchemaOptions,
  SchemaInput,
  SchemaOutput,
} from './standard-schema.js';
export {
  definePublishedEvent,
  isPublishedEventContract,
  publishedEventContractOf,
  describePayloadIssues,
} from './define-published-event.js';
export { PublishedEventError, PublishedEventErrorCode, isPublishedEventError } from './published-event-error.js';
export { withPublishedEventDefaults } from './published-event-fields.js';
export type { PublishedEventFields, TypedPublishedEvent } from './published-event-fields.js';
export type {
  PublishedEventContract,
  PublishedPayload,
  PublishedPayloadInput,
  PublishedEventOf,
  PublishedPayloadSchema,
  EventPayloadIssue,
  EventPayloadCheck,
} from './define-published-event.js';
export { readJson, readJsonBody, defaultMaxJsonDepth } from './read-json.js';
export {
  JsonReadError,
  JsonReadErrorCode,
  JsonDepthError,
  JsonNumberError,
  isJsonReadError,
} from './json-read-errors.js';
export type { ReadJsonOptions } from './read-json.js';
export { writeJson, writeStrictJson } from './write-json.js';
export { JsonValueError, JsonValueErrorCode, isJsonValueError, formatJsonPath } from './json-value-error.js';
export type { JsonPathSegment } from './json-value-error.js';

// Retry schedules, shared by the client, webhooks and the outbox.
export {
  fixedSchedule,
  linearSchedule,
  exponentialSchedule,
  randomSchedule,
  noRetry,
  fixedScheduleOptions,
  linearScheduleOptions,
  exponentialScheduleOptions,
  randomScheduleOptions,
} from './retry-schedule.js';
export type { RetrySchedule, RetryScheduleDefinition, RandomSource } from './retry-schedule.js';
export { RetryScheduleRegistry } from './retry-schedule-registry.js';
export { RetryScheduleError, RetryScheduleErrorCode, isRetryScheduleError } from './retry-schedule-error.js';
export type { RetryScheduleFactory } from './retry-schedule-registry.js';

// For adapter and transport authors.
export { deadlineHeader, deadlineMetadataKey, readDeadlineBudget, readMetadataDeadline } from './deadline.js';
export { runInEventContext, currentEventContext, useEventContext, isEventContextInUse } from './flow-context.js';
export type { EventContext } from './flow-context.js';
export { readBytesWithin } from './read-bytes-within.js';
export type { BytesWithinResult } from './read-bytes-within.js';
