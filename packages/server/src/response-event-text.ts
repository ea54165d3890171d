import { writeJson, type ResponseEvent } from '@events-protocol/core';

/** The envelope's keys in the order answers are built with, which `JSON.stringify` follows. */
const envelopeKeys = ['name', 'version', 'id', 'flowId', 'payload', 'identity', 'auth', 'metadata'] as const;

/**
 * An answer as JSON text, byte for byte what {@link writeJson} writes for it, with the envelope
 * written from a template around the payload's text: only the payload (and any non-empty object
 * field) goes through the serialiser. Answers the template does not describe exactly (other keys
 * or key order, a non-plain object, a `toJSON` anywhere on the envelope, a payload JSON leaves
 * out) and any that fail take {@link writeJson} itself, which throws as it always did.
 *
 * @throws {TypeError} for what JSON cannot hold (a cycle in the payload), as {@link writeJson} does.
 */
export function writeResponseEventJson(answer: ResponseEvent): string {
  let text: string | undefined;
  try {
    text = fromTemplate(answer);
  } catch {
    text = undefined;
  }
  return text ?? writeJson(answer);
}

function fromTemplate(answer: ResponseEvent): string | undefined {
  if (!isPlainData(answer) || !hasEnvelopeKeys(answer)) return undefined;
  const { name, version, id, flowId, payload } = answer;
  if (typeof name !== 'string' || typeof id !== 'string' || typeof flowId !== 'string') return undefined;
  if (!Number.isSafeInteger(version)) return undefined;
  if (typeof payload === 'object' && payload !== null && 'toJSON' in payload) return undefined;
  const payloadText = writeJson(payload) as string | undefined;
  const identity = objectFieldText(answer.identity);
  const auth = objectFieldText(answer.auth);
  const metadata = objectFieldText(answer.metadata);
  if (payloadText === undefined || identity === undefined || auth === undefined || metadata === undefined) {
    return undefined;
  }
  return (
    `{"name":${JSON.stringify(name)},"version":${String(version)},"id":${JSON.stringify(id)},` +
    `"flowId":${JSON.stringify(flowId)},"payload":${payloadText},"identity":${identity},"auth":${auth},` +
    `"metadata":${metadata}}`
  );
}

/** A plain object with no `toJSON`, own or inherited: `JSON.stringify` writes its own keys. */
function isPlainData(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  return Object.getPrototypeOf(value) === Object.prototype && !('toJSON' in value);
}

function hasEnvelopeKeys(answer: Record<string, unknown>): boolean {
  const keys = Object.keys(answer);
  if (keys.length !== envelopeKeys.length) return false;
  for (let index = 0; index < keys.length; index++) if (keys[index] !== envelopeKeys[index]) return false;
  return true;
}

/** `{}` for an empty plain object, its text otherwise; `undefined` when the template cannot tell. */
function objectFieldText(field: unknown): string | undefined {
  if (!isPlainData(field)) return undefined;
  for (const _key in field) return writeJson(field);
  return '{}';
}
