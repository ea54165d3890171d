import type { CheckContext } from './conformance-check.js';
import { isJsonObject, readAnswerEvent } from './read-answer.js';
import { bodyOf, echoRequest } from './request-bodies.js';

/** Why a run stopped before any check: every check would have failed for this one reason. */
export interface ConformanceStop {
  /**
   * `unreachable`: no connection could be made. `no-answer`: the server took the connection and
   * did not answer a valid echo event. `not-an-event`: it answered with something that is not a
   * response event (a 404 page, a gateway's 401): likely not the events route, or a header is
   * missing. `no-echo-handler`: it answered that no handler serves the echo event.
   */
  readonly kind: 'unreachable' | 'no-answer' | 'not-an-event' | 'no-echo-handler';
  /** One line saying what happened and what to do. */
  readonly reason: string;
}

/**
 * Sends one valid event (with an object payload, which every server's model takes) to the echo
 * handler and says whether the checks can run: the server is reachable, answers with an event,
 * and has the handler. Anything else the answer shows is left to the checks.
 */
export async function preflight(context: CheckContext): Promise<ConformanceStop | undefined> {
  const answer = await context.post({ body: bodyOf(echoRequest(context, { payload: { conformance: 'preflight' } })) });
  if (answer.kind === 'unreachable') return { kind: 'unreachable', reason: answer.reason };
  if (answer.kind === 'no-answer') return { kind: 'no-answer', reason: `${answer.reason}, to a valid echo event` };
  const read = readAnswerEvent(answer);
  if (!read.ok) {
    return {
      kind: 'not-an-event',
      reason: `a valid echo event was answered ${read.finding.message}; is the URL the events route, and does it need a header (-H)?`,
    };
  }
  if (!isNoHandlerAnswer(read.event, context.echoEvent)) return undefined;
  const { echoEvent: name, echoVersion: version } = context;
  return {
    kind: 'no-echo-handler',
    reason:
      `the server has no handler for ${name} v${version} (it answered ${read.event.name}); the kit needs one that answers its payload unchanged, ` +
      `e.g. registry.register({ name: '${name}', version: ${version}, handler: (event) => event.payload }), or name yours with --event and --version`,
  };
}

function isNoHandlerAnswer(event: Record<string, unknown> & { name: string }, echoEvent: string): boolean {
  if (event.name === 'eventNotFound') return true;
  const payload = event['payload'];
  return event.name === `${echoEvent}:notFound` && isJsonObject(payload) && payload['code'] === 'EVENT_NOT_FOUND';
}
