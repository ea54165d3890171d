import { EventBuilder, EventErrorType, EventMessageCode, writeJson, type ResponseEvent } from '@events-protocol/core';
import type { EventLogger } from './event-logger.js';

/**
 * The name of the request an answer answers: everything before the last `:` (`user:get` for
 * `user:get:response`), or the whole name when it has none (`badProtocol`).
 */
function requestNameOf(answerName: string): string {
  return answerName.slice(0, Math.max(0, answerName.lastIndexOf(':'))) || answerName;
}

/**
 * An answer as JSON text, ready to write, integers beyond ±2^53 with all their digits. The whole
 * event goes through one `JSON.stringify`, which builds the text in one piece: joining the
 * envelope's fields around the payload's text made a dozen strings per answer, which writing
 * then had to flatten. An answer JSON cannot hold (a cycle in the handler's result) becomes
 * `<name>:error` `UNHANDLED_ERROR`, and the failure goes to the log.
 */
export function answerToJson(answer: ResponseEvent, logger: EventLogger): string {
  try {
    return writeJson(answer);
  } catch (error) {
    const requestName = requestNameOf(answer.name);
    logger.error(
      { err: error, event: requestName, id: answer.id, flowId: answer.flowId },
      'response is not serialisable as JSON',
    );
    const request = { name: requestName, version: answer.version, id: answer.id, flowId: answer.flowId };
    return writeJson(EventBuilder.errorFor(request, EventErrorType.Error, { code: EventMessageCode.UnhandledError }));
  }
}
