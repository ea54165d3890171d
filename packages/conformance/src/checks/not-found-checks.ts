import { randomBytes } from 'node:crypto';
import { EventMessageCode } from '@events-protocol/core';
import { judge, type ConformanceCheck } from '../conformance-check.js';
import { expectEventNotFound } from '../expect-protocol-error.js';
import { noEventCause, ProbeShape } from '../probe-shapes.js';
import { bodyOf, echoRequest, type RequestFields } from '../request-bodies.js';

/** What an `eventNotFound` answer to `request` must say. */
export function notFoundExpectation(request: RequestFields): Parameters<typeof expectEventNotFound>[1] {
  return {
    event: String(request['name']),
    version: Number(request['version']),
    id: String(request['id']),
    flowId: String(request['flowId']),
  };
}

/** A request for an event name nobody registered, at `version`. */
export function unknownEventRequest(context: Parameters<typeof echoRequest>[0], version = 1): RequestFields {
  return echoRequest(context, { name: `conformance:unknown-${randomBytes(6).toString('hex')}`, version });
}

const notFoundRule =
  'No handler for (name, version) answers `eventNotFound`, code NO_EVENT_HANDLER_FOUND with parameters event and version; `<name>:notFound` (EVENT_NOT_FOUND) is tolerated with a warning (PROTOCOL.md, Protocol errors).';

// The answer's version and ids have checks of their own (protocol-error-version, -ids).
const aspects = { version: false, ids: false } as const;

/** An event name nobody registered. */
export const eventNotFoundName: ConformanceCheck = {
  id: 'event-not-found-name',
  rule: notFoundRule,
  owns: [noEventCause(ProbeShape.UnknownEvent), `wrong code for ${EventMessageCode.NoEventHandlerFound}`],
  async run(context) {
    const request = unknownEventRequest(context);
    const answer = await context.post({ body: bodyOf(request), shape: ProbeShape.UnknownEvent });
    const findings = expectEventNotFound(answer, notFoundExpectation(request), aspects);
    return judge(findings, `eventNotFound for ${String(request['name'])} v1`);
  },
};

/** The echo event at a version nobody registered. */
export const eventNotFoundVersion: ConformanceCheck = {
  id: 'event-not-found-version',
  rule: notFoundRule,
  async run(context) {
    const version = context.echoVersion + 1000;
    const request = echoRequest(context, { version });
    // An unknown (name, version) pair like any other: a server that answers none of them right
    // fails event-not-found-name, once.
    const findings = expectEventNotFound(
      await context.post({ body: bodyOf(request), shape: ProbeShape.UnknownEvent }),
      notFoundExpectation(request),
      aspects,
    );
    return judge(findings, `eventNotFound for ${context.echoEvent} v${version}`);
  },
};
