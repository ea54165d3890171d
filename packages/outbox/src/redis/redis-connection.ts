import { isSocketFailure, toStoreError, type StoreFailure } from '../store-error.js';

// ioredis's own errors for a connection that is gone: offline commands that waited through
// `maxRetriesPerRequest` reconnects, a closed connection, no offline queue, a pipeline cut off.
const lostMessages = [
  /^Reached the max retries per request limit/,
  /^Connection is closed\.?$/,
  /^Stream isn't writeable/,
  /^Command aborted due to connection close$/,
  /^Command timed out$/,
];

// Replies of a server that cannot serve now: loading its data, running a long script, a replica
// that lost its master or was just demoted by a failover.
const unavailableReplies = /^(LOADING|BUSY|MASTERDOWN|READONLY|TRYAGAIN|CLUSTERDOWN) /;

/** Classifies an ioredis error: `unavailable` when Redis was unreachable or could not serve the command now. */
export function classifyRedisError(error: unknown): StoreFailure {
  if (isSocketFailure(error)) return 'unavailable';
  if (!(error instanceof Error)) return undefined;
  if (error.name === 'MaxRetriesPerRequestError') return 'unavailable';
  if (lostMessages.some((message) => message.test(error.message))) return 'unavailable';
  return unavailableReplies.test(error.message) ? 'unavailable' : undefined;
}

function mapRedisError(error: unknown): never {
  throw toStoreError('redis', error, classifyRedisError(error));
}

/**
 * The client the store talks through: the same ioredis client, but every command's promise
 * (pipelines and `exec` included) rejects as `STORE_UNAVAILABLE` when Redis is unreachable, so
 * no store method, whichever module sends its commands, lets a raw connection error through.
 */
export function guardRedis<TClient extends object>(client: TClient): TClient {
  const guarded: TClient = new Proxy(client, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]): unknown => {
        const result: unknown = Reflect.apply(value as (...parameters: unknown[]) => unknown, target, args);
        if (result instanceof Promise) return result.catch(mapRedisError);
        if (result === target) return guarded;
        // A pipeline or transaction (`multi()`, `pipeline()`): guard its `exec` as well.
        if (typeof result === 'object' && result !== null && 'exec' in result) return guardRedis(result);
        return result;
      };
    },
  });
  return guarded;
}
