import { connect } from 'node:net';

/** A store location without its password, for messages: `postgres://app:***@db/app`. */
export function redactLocation(location: string): string {
  return location.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

// Node's names for a connection that could not be made.
const unreachableCodes: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'timed out',
  EHOSTUNREACH: 'host unreachable',
  EHOSTDOWN: 'host down',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
};

/** SQLSTATEs of a login PostgreSQL refused: a wrong password, or a role it does not let in. */
const postgresAuthStates = new Set(['28P01', '28000']);

/** The error, its causes and, for an `AggregateError` (one per address tried), its errors. */
function chain(error: unknown): unknown[] {
  const seen: unknown[] = [];
  const pending = [error];
  while (pending.length > 0 && seen.length < 20) {
    const next = pending.shift();
    if (next === undefined || next === null || seen.includes(next)) continue;
    seen.push(next);
    if (next instanceof AggregateError) pending.push(...(next.errors as unknown[]));
    if (next instanceof Error) pending.push(next.cause);
  }
  return seen;
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** What refused the credentials, from an error of PostgreSQL (SQLSTATE 28…) or Redis (NOAUTH, WRONGPASS). */
function credentialsRefusal(errors: readonly unknown[]): string | undefined {
  for (const error of errors) {
    const code = codeOf(error);
    if (code !== undefined && postgresAuthStates.has(code)) return `${code}: ${messageOf(error)}`;
    if (/^(NOAUTH|WRONGPASS)\b/.test(messageOf(error))) return messageOf(error);
  }
  return undefined;
}

function unreachable(errors: readonly unknown[]): string | undefined {
  for (const error of errors) {
    const code = codeOf(error);
    const reason = code === undefined ? undefined : unreachableCodes[code];
    if (reason !== undefined) return `${reason} (${code ?? ''})`;
  }
  return undefined;
}

/**
 * Connects to a network store's host and port and hangs up, to learn why a driver that reports only
 * "Connection is closed." could not connect. Resolves to the reason, or `undefined` when the port
 * answers (or the location names no host, as a Unix socket does).
 */
async function probe(location: string): Promise<string | undefined> {
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    return undefined;
  }
  const defaultPort = /^rediss?:$/.test(url.protocol) ? 6379 : 5432;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') return undefined;
  return new Promise((resolve) => {
    const socket = connect({ host, port: Number(url.port || defaultPort), timeout: 5000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve('timed out (ETIMEDOUT)');
    });
    socket.once('error', (error) => resolve(unreachable(chain(error)) ?? error.message));
  });
}

/**
 * Says what went wrong with a store in words an operator acts on: the store could not be reached
 * (refused, unknown host, timed out), it refused the credentials, or it failed otherwise (the
 * driver's message). Never shows the location's password.
 */
export async function describeStoreFailure(error: unknown, location: string): Promise<string> {
  const where = redactLocation(location);
  const errors = chain(error);
  const refused = credentialsRefusal(errors);
  if (refused !== undefined) return `the store at ${where} refused the credentials: ${refused}`;
  const network = /^(rediss?|postgres(ql)?):\/\//i.test(location);
  const reason = unreachable(errors) ?? (network ? await probe(location) : undefined);
  if (reason !== undefined) return `cannot reach the store at ${where}: ${reason}`;
  return `the store at ${where} failed: ${messageOf(error)}`;
}
