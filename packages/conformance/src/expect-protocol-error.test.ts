import { describe, expect, it } from 'vitest';
import { expectBadProtocol, expectEventNotFound } from './expect-protocol-error.js';
import type { ProbeAnswer } from './http-probe.js';

const uuid = '0b6e6c1e-6a43-4c4e-9d7a-2f1f3b8f5a10';

function answered(event: Record<string, unknown>): ProbeAnswer {
  return { kind: 'answered', status: 200, contentType: 'application/json', text: JSON.stringify(event) };
}

function badProtocol(parameters: unknown, fields: Record<string, unknown> = {}): ProbeAnswer {
  const payload = { code: 'INVALID_COMMUNICATION_PROTOCOL', parameters };
  return answered({
    name: 'badProtocol',
    version: 1,
    id: 'i',
    flowId: 'f',
    payload,
    identity: {},
    auth: {},
    metadata: {},
    ...fields,
  });
}

const namingVersion = { propertyName: 'version', id: 'i', flowId: 'f' } as const;

describe('expectBadProtocol', () => {
  it('finds nothing wrong with a conforming answer', () => {
    expect(expectBadProtocol(badProtocol({ propertyName: 'version' }), namingVersion)).toEqual([]);
  });

  it('tolerates the older missingProperty key with a warning', () => {
    expect(expectBadProtocol(badProtocol({ missingProperty: 'version' }), namingVersion)).toEqual([
      { status: 'warn', message: 'names the field in the older key missingProperty (readers accept both)' },
    ]);
  });

  it('fails a wrong field, a wrong version, a wrong code and ids not copied', () => {
    const answer = answered({
      name: 'badProtocol',
      version: 2,
      id: 'other',
      flowId: 'f',
      payload: { code: 'BAD', parameters: { propertyName: 'id' } },
    });
    expect(expectBadProtocol(answer, namingVersion).map((finding) => finding.message)).toEqual([
      'version was 2, expected 1',
      'id was "other", not the request\'s "i"',
      'code was "BAD", expected "INVALID_COMMUNICATION_PROTOCOL"',
      'propertyName was "id", expected "version"',
    ]);
  });

  it('expects new UUIDs when the request had no usable ids, and warns on others', () => {
    const expectation = { propertyName: 'name', id: undefined, flowId: undefined };
    expect(expectBadProtocol(badProtocol({ propertyName: 'name' }, { id: uuid, flowId: uuid }), expectation)).toEqual(
      [],
    );
    expect(expectBadProtocol(badProtocol({ propertyName: 'name' }, { id: 'unknown' }), expectation)).toEqual([
      { status: 'warn', message: 'id was "unknown", expected a new UUID' },
      { status: 'warn', message: 'flowId was "f", expected a new UUID' },
    ]);
  });

  it('warns when unparseable text names a field, unless that name is accepted', () => {
    const ids = { id: 'i', flowId: 'f' };
    expect(expectBadProtocol(badProtocol({ propertyName: 'name' }), { propertyName: null, ...ids })).toEqual([
      { status: 'warn', message: 'names "name" though the text names no field' },
    ]);
    expect(
      expectBadProtocol(badProtocol({ propertyName: 'name' }), { propertyName: null, alsoAccepted: ['name'], ...ids }),
    ).toEqual([]);
  });

  it('fails an answer that names no field, an error payload of the wrong shape, and other names', () => {
    expect(expectBadProtocol(badProtocol({}), namingVersion)).toEqual([
      { status: 'fail', message: 'names no field, expected propertyName "version"' },
    ]);
    expect(expectBadProtocol(badProtocol('version'), namingVersion)).toEqual([
      {
        status: 'fail',
        message: 'error payload parameters "version" are not an object',
        cause: 'error payload is not {code, parameters}',
      },
    ]);
    expect(expectBadProtocol(answered({ name: 'echo:badRequest' }), namingVersion)).toEqual([
      { status: 'fail', message: 'answered "echo:badRequest", not "badProtocol"' },
    ]);
  });
});

describe('expectEventNotFound', () => {
  const expectation = { event: 'x:y', version: 2, id: 'i', flowId: 'f' };

  it('finds nothing wrong with a conforming answer', () => {
    const payload = { code: 'NO_EVENT_HANDLER_FOUND', parameters: { event: 'x:y', version: 2 } };
    expect(
      expectEventNotFound(answered({ name: 'eventNotFound', version: 1, id: 'i', flowId: 'f', payload }), expectation),
    ).toEqual([]);
  });

  it('tolerates <name>:notFound with EVENT_NOT_FOUND', () => {
    const payload = { code: 'EVENT_NOT_FOUND', parameters: {} };
    expect(
      expectEventNotFound(answered({ name: 'x:y:notFound', version: 2, id: 'i', flowId: 'f', payload }), expectation),
    ).toEqual([{ status: 'warn', message: 'answered the tolerated "x:y:notFound" instead of "eventNotFound"' }]);
  });

  it('fails the copied version, missing parameters and an answer that is not an event', () => {
    const payload = { code: 'NO_EVENT_HANDLER_FOUND' };
    expect(
      expectEventNotFound(answered({ name: 'eventNotFound', version: 2, id: 'i', flowId: 'f', payload }), expectation),
    ).toEqual([
      { status: 'fail', message: 'version was 2, expected 1' },
      { status: 'warn', message: 'error payload has no parameters (readers default them to {})' },
      { status: 'fail', message: 'parameters.event was missing, expected "x:y"' },
      { status: 'fail', message: 'parameters.version was missing, expected 2' },
    ]);
    expect(
      expectEventNotFound(
        { kind: 'answered', status: 500, contentType: 'text/html', text: '<h1>oops</h1>' },
        expectation,
      ),
    ).toEqual([{ status: 'fail', message: 'HTTP 500 with a body that is not JSON: <h1>oops</h1>' }]);
    expect(
      expectEventNotFound({ kind: 'no-answer', reason: 'connected, but no answer within 5 ms' }, expectation),
    ).toEqual([{ status: 'fail', message: 'connected, but no answer within 5 ms' }]);
    expect(expectEventNotFound({ kind: 'unreachable', reason: 'connect ECONNREFUSED' }, expectation)).toEqual([
      { status: 'fail', message: 'unreachable: connect ECONNREFUSED' },
    ]);
  });
});
