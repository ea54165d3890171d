import fc from 'fast-check';

/** The eight fields of an event, in wire order, for properties that remove or replace them. */
export const eventFieldNames = ['name', 'version', 'id', 'flowId', 'payload', 'identity', 'auth', 'metadata'] as const;

const jsonObject = fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 });

/** A well-formed event (request or response, by the names given): every field of the right type. */
export function wellFormedEvent(name: fc.Arbitrary<string> = fc.string({ minLength: 1 })) {
  return fc.record({
    name,
    version: fc.integer({ min: 1, max: 1000 }),
    id: fc.string({ minLength: 1 }),
    flowId: fc.string({ minLength: 1 }),
    payload: fc.jsonValue(),
    identity: jsonObject,
    auth: jsonObject,
    metadata: jsonObject,
  });
}
