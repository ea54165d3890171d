import { z } from 'zod';

/**
 * The payload shape of every error event: a stable machine-readable `code` and its `parameters`,
 * e.g. `{ "code": "USER_NOT_FOUND", "parameters": { "userId": "42" } }`.
 */
export const eventMessageSchema = z.object({
  code: z.string(),
  parameters: z.record(z.string(), z.unknown()).default(() => ({})),
});

/** An error payload: a stable `code` and the `parameters` that explain it. */
export interface EventMessage {
  code: string;
  parameters: Record<string, unknown>;
}

/** The codes this library writes into error payloads. Applications add their own. */
export const EventMessageCode = {
  InvalidCommunicationProtocol: 'INVALID_COMMUNICATION_PROTOCOL',
  NoEventHandlerFound: 'NO_EVENT_HANDLER_FOUND',
  InvalidPayload: 'INVALID_PAYLOAD',
  UnhandledError: 'UNHANDLED_ERROR',
  HandlerTimeout: 'HANDLER_TIMEOUT',
  InvalidResponse: 'INVALID_RESPONSE',
  UndeclaredError: 'UNDECLARED_ERROR',
  Timeout: 'TIMEOUT',
  FailedDependency: 'FAILED_DEPENDENCY',
  PayloadTooLarge: 'PAYLOAD_TOO_LARGE',
  Overloaded: 'OVERLOADED',
  DeadlineExceeded: 'DEADLINE_EXCEEDED',
} as const;
