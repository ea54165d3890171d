import type { EventTransport } from '@events-protocol/client';
import { EgressErrorCode, isEgressError } from '@events-protocol/client/egress';
import type { ConformanceCheck } from './conformance-check.js';
import { conformanceChecks } from './conformance-checks.js';
import type { ProbeAnswer, ProbeRequest } from './http-probe.js';

/** The checks of HTTP itself (status, content type, the trailing slash), left out over another transport. */
export const httpOnlyCheckIds: ReadonlySet<string> = new Set([
  'http-status-200',
  'content-type-json',
  'trailing-slash-route',
]);

/** Every check that applies to any transport: {@link conformanceChecks} without {@link httpOnlyCheckIds}. */
export const transportConformanceChecks: readonly ConformanceCheck[] = Object.freeze(
  conformanceChecks.filter((check) => !httpOnlyCheckIds.has(check.id)),
);

const decoder = new TextDecoder();

/**
 * Whether a transport's error is a timeout: an egress `TIMEOUT` (a `TransportTimeoutError` is one),
 * or the deprecated code `EVENTS_TRANSPORT_TIMEOUT` of custom transports.
 */
function isTimeout(error: unknown): boolean {
  if (isEgressError(error)) return error.code === EgressErrorCode.Timeout;
  return (error as { code?: unknown } | null)?.code === 'EVENTS_TRANSPORT_TIMEOUT';
}

function nameOf(error: unknown): string {
  const { name, code, message } = (error ?? {}) as { name?: unknown; code?: unknown; message?: unknown };
  const label = typeof code === 'string' ? code : typeof name === 'string' ? name : 'error';
  return typeof message === 'string' && message !== '' ? `${label}: ${message}` : label;
}

/**
 * Sends the kit's raw bodies through an `EventTransport` (the client's NATS transport, say)
 * instead of HTTP; never throws. A transport's timeout is a missing answer (`no-answer`), any other
 * failure an unreachable server, as the client reads them.
 */
export class TransportProbe {
  readonly #transport: EventTransport;
  readonly #timeoutMs: number;
  readonly #headers: readonly string[];

  constructor(transport: EventTransport, timeoutMs: number, headers: Readonly<Record<string, string>>) {
    this.#transport = transport;
    this.#timeoutMs = timeoutMs;
    this.#headers = Object.entries(headers)
      .filter(([name]) => name.toLowerCase() !== 'content-type')
      .flatMap(([name, value]) => [name.toLowerCase(), value]);
  }

  /** Sends one body and resolves to the answer, or to the reason there was none. */
  async post(probe: ProbeRequest): Promise<ProbeAnswer> {
    const shape = probe.shape === undefined ? {} : { shape: probe.shape };
    const body = typeof probe.body === 'string' ? probe.body : decoder.decode(probe.body);
    try {
      const answer = await this.#transport.send({
        body,
        headers: [...this.#headers, 'content-type', probe.contentType ?? 'application/json'],
        timeoutMs: this.#timeoutMs,
      });
      return { kind: 'answered', status: answer.status, contentType: undefined, text: answer.body, ...shape };
    } catch (error) {
      const timedOut = isTimeout(error);
      return {
        kind: timedOut ? 'no-answer' : 'unreachable',
        reason: timedOut ? `no answer within ${this.#timeoutMs} ms` : nameOf(error),
        ...shape,
      };
    }
  }

  /** Nothing to release: the transport is the caller's. */
  close(): void {}
}
