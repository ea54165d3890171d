export { createOperatorConsole } from './operator-console.js';
export type { OperatorConsole } from './operator-console.js';
export type {
  OperatorConsoleOptions,
  OperatorIdentity,
  ConsoleAuthorize,
  ConsoleRefusal,
  ConsoleOutbox,
  ConsoleTopic,
  ConsoleTopics,
  ConsoleWebhooks,
} from './console-options.js';
export type { ConsoleLogger } from './console-logger.js';
export { ConsoleError, ConsoleErrorCode, isConsoleError } from './console-error.js';
