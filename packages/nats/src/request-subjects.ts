import { NatsError, NatsErrorCode } from './nats-error.js';

// What one subject token may hold: no whitespace, no wildcard, no separator.
const subjectToken = /^[^\s.*>]+$/;

/**
 * Checks a subject prefix: one or more tokens (`events`, `acme.events`) without wildcards.
 *
 * @throws {NatsError} `INVALID_OPTIONS`.
 */
export function checkSubjectPrefix(prefix: string): string {
  if (typeof prefix !== 'string' || !prefix.split('.').every((token) => subjectToken.test(token))) {
    throw new NatsError(
      NatsErrorCode.InvalidOptions,
      `subjectPrefix ${JSON.stringify(prefix)} is not a NATS subject (tokens joined by '.', no spaces or wildcards)`,
    );
  }
  return prefix;
}

/** Whether an event name can be the last part of a request subject (`events.user:get`). */
export function isSubjectName(name: string): boolean {
  return name.length > 0 && name.split('.').every((token) => subjectToken.test(token));
}

/**
 * The subjects a server listens on: `<prefix>.<name>` for each named event, or every name under
 * the prefix (`<prefix>.>`) and the prefix itself (where requests whose name is no subject go).
 *
 * @throws {NatsError} `INVALID_OPTIONS` for a name that cannot be part of a subject.
 */
export function requestSubjects(prefix: string, eventNames: readonly string[] | undefined): string[] {
  if (eventNames === undefined) return [prefix, `${prefix}.>`];
  return eventNames.map((name) => {
    if (!isSubjectName(name)) {
      throw new NatsError(NatsErrorCode.InvalidOptions, `event name ${JSON.stringify(name)} cannot be a NATS subject`);
    }
    return `${prefix}.${name}`;
  });
}

// The client writes `name` first; reading it so needs no parse of the whole body.
const leadingName = /^\s*\{\s*"name"\s*:\s*"([^"\\]+)"/;

/**
 * The subject a request goes to: `<prefix>.<name>` when the body starts with a name that can be
 * part of a subject (as this client writes every event), `<prefix>` otherwise.
 */
export function subjectOfRequest(prefix: string, body: string): string {
  const name = leadingName.exec(body)?.[1];
  return name !== undefined && isSubjectName(name) ? `${prefix}.${name}` : prefix;
}
