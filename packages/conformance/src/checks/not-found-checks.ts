import { randomBytes } from 'node:crypto';
import { judge, type ConformanceCheck } from '../conformance-check.js';
import { expectEventNotFound } from '../expect-protocol-error.js';
import { bodyOf, echoRequest, type RequestFields } from '../request-bodies.js';

function notFoundExpectation(request: RequestFields): Parameters<typeof expectEventNotFound>[1] {
  return {
    event: String(request['name']),
    version: Number(request['version']),
    id: String(request['id']),
    flowId: String(request['flowId']),
  };
}

const notFoundRule =
  'No handler for (name, version) answers `eventNotFound`, version 1, code NO_EVENT_HANDLER_FOUND with parameters event and version; `<name>:notFound` (EVENT_NOT_FOUND) is tolerated with a warning (PROTOCOL.md, Response naming).';

/** An event name nobody registered. */
export const eventNotFoundName: ConformanceCheck = {
  id: 'event-not-found-name',
  rule: notFoundRule,
  async run(context) {
    // Version 2, so an answer that copies the request's version instead of writing 1 shows.
    const name = `conformance:unknown-${randomBytes(6).toString('hex')}`;
    const request = echoRequest(context, { name, version: 2, payload: { unknown: true } });
    const findings = expectEventNotFound(await context.post({ body: bodyOf(request) }), notFoundExpectation(request));
    return judge(findings, `eventNotFound for ${name} v2`);
  },
};

/** The echo event at a version nobody registered. */
export const eventNotFoundVersion: ConformanceCheck = {
  id: 'event-not-found-version',
  rule: notFoundRule,
  async run(context) {
    const version = context.echoVersion + 1000;
    const request = echoRequest(context, { version, payload: { unknown: 'version' } });
    const findings = expectEventNotFound(await context.post({ body: bodyOf(request) }), notFoundExpectation(request));
    return judge(findings, `eventNotFound for ${context.echoEvent} v${version}`);
  },
};
