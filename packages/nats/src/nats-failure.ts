/**
 * What a failure of the official NATS client means, read from its error classes by name (two
 * copies of the client in one `node_modules` break `instanceof`) along the cause chain.
 */
export type NatsFailureKind = 'timeout' | 'noResponders' | 'closed' | 'apiError' | 'tooLarge' | 'other';

function chainOf(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let link = error; link !== undefined && link !== null && chain.length < 8;) {
    chain.push(link);
    link = (link as { cause?: unknown }).cause;
  }
  return chain;
}

function nameOf(value: unknown): string | undefined {
  const name = (value as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : undefined;
}

/** Classifies an error the NATS client threw from a request or a JetStream call. */
export function readNatsFailure(error: unknown): NatsFailureKind {
  const chain = chainOf(error);
  const names = new Set(chain.map(nameOf));
  if (names.has('NoResponders') || names.has('NoRespondersError')) return 'noResponders';
  if (chain.some((link) => (link as { isNoResponders?: () => boolean }).isNoResponders?.() === true))
    return 'noResponders';
  if (names.has('TimeoutError')) return 'timeout';
  if (chain.some((link) => link instanceof Error && link.message.includes('max_payload size exceeded')))
    return 'tooLarge';
  if (names.has('ClosedConnectionError') || names.has('DrainingConnectionError')) return 'closed';
  if (names.has('JetStreamApiError') || names.has('StreamNotFoundError') || names.has('ConsumerNotFoundError'))
    return 'apiError';
  return 'other';
}

/** The JetStream API error code (`10059`: stream not found…) of an error, when it has one. */
export function jetStreamApiCode(error: unknown): number | undefined {
  for (const link of chainOf(error)) {
    const code = (link as { code?: unknown }).code;
    if (typeof code === 'number' && nameOf(link)?.endsWith('Error') === true && code >= 10_000) return code;
  }
  return undefined;
}

/** The message of an error, for a log line or an error's own message. */
export function describeNatsError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
