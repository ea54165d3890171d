import type { LookupAddress, LookupOptions } from 'node:dns';
import { buildConnector } from 'undici';
import { resolveAllowed, type TargetLookup } from './target-lookup.js';
import { normalHost, type CompiledTargetPolicy } from './target-policy.js';
import { WebhookError, WebhookErrorCode } from './webhook-error.js';

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A socket `lookup` that resolves through `lookup` and refuses a name with any refused address
 * before a connection is tried: the connect-time half of the target policy, against names that
 * resolve (or rebind) to internal addresses between save and send.
 */
export function guardedLookup(policy: CompiledTargetPolicy, lookup: TargetLookup) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    resolveAllowed(normalHost(hostname), policy, lookup).then(
      (resolved) => {
        const wanted = options.family === 4 || options.family === 6 ? options.family : undefined;
        const addresses = resolved.filter((entry) => wanted === undefined || entry.family === wanted);
        if (options.all === true)
          callback(
            null,
            addresses.map(({ address, family }) => ({ address, family })),
          );
        else if (addresses[0] === undefined) callback(notFound(hostname), '');
        else callback(null, addresses[0].address, addresses[0].family);
      },
      (error: unknown) => callback(error as NodeJS.ErrnoException, ''),
    );
  };
}

function notFound(hostname: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname });
}

/**
 * An undici connector that resolves names through {@link guardedLookup} and then checks the
 * socket's remote address, the address actually dialled, before a byte of the request is written.
 * IP literals never reach a `lookup`, so this second check is what holds for them at connect time.
 */
export function guardedConnector(policy: CompiledTargetPolicy, lookup: TargetLookup, timeoutMs: number) {
  const connect = buildConnector({ timeout: timeoutMs, lookup: guardedLookup(policy, lookup) });
  return (options: buildConnector.Options, callback: buildConnector.Callback): void => {
    connect(options, (...result) => {
      const [error, socket] = result;
      if (error !== null) {
        callback(error, null);
        return;
      }
      const reason = policy.refusal(socket.remoteAddress ?? '', options.hostname);
      if (reason === undefined) {
        callback(null, socket);
        return;
      }
      socket.destroy();
      callback(
        new WebhookError(WebhookErrorCode.TargetRefused, `the target ${options.hostname} connected to ${reason}`),
        null,
      );
    });
  };
}
