import { lookup as dnsLookup } from 'node:dns/promises';
import { checkTargetUrlWith, type CompiledTargetPolicy, isIpLiteral, normalHost } from './target-policy.js';
import { isWebhookError, WebhookError, WebhookErrorCode } from './webhook-error.js';

/** One address a host name resolves to. */
export interface ResolvedAddress {
  readonly address: string;
  /** 4 or 6. */
  readonly family: number;
}

/**
 * Resolves a host name to every address it has, like `dns.lookup(name, { all: true })` (the
 * default). Inject your own to use another resolver, or in tests.
 */
export type TargetLookup = (hostname: string) => Promise<readonly ResolvedAddress[]>;

/** The system resolver (getaddrinfo), as Node's sockets use it. */
export const systemLookup: TargetLookup = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/**
 * Resolves `hostname` and refuses it when any of its addresses is one the policy refuses, so a
 * name with one internal answer among public ones cannot be steered to it.
 *
 * @throws {WebhookError} `TARGET_REFUSED` naming the host and the refused address; a resolver
 * failure (`ENOTFOUND`, …) as the resolver threw it.
 */
export async function resolveAllowed(
  hostname: string,
  policy: CompiledTargetPolicy,
  lookup: TargetLookup,
): Promise<readonly ResolvedAddress[]> {
  const addresses = await lookup(hostname);
  if (addresses.length === 0) {
    throw new WebhookError(WebhookErrorCode.TargetRefused, `the target ${hostname} resolves to no address`);
  }
  for (const { address } of addresses) {
    const reason = policy.refusal(address, hostname);
    if (reason !== undefined) {
      throw new WebhookError(WebhookErrorCode.TargetRefused, `the target ${hostname} resolves to ${reason}`);
    }
  }
  return addresses;
}

/**
 * The save-time check of a target: {@link checkTargetUrl}, then, for a host name, its current DNS
 * answers. A name that does not resolve yet is accepted (it is checked again on every connection);
 * one that resolves to a refused address is not.
 *
 * @throws {WebhookError} `TARGET_REFUSED` naming the reason.
 */
export async function checkTarget(targetUrl: string, policy: CompiledTargetPolicy, lookup: TargetLookup): Promise<URL> {
  const url = checkTargetUrlWith(targetUrl, policy);
  const host = normalHost(url.hostname);
  if (isIpLiteral(url.hostname)) return url;
  try {
    await resolveAllowed(host, policy, lookup);
  } catch (error) {
    if (isWebhookError(error)) throw error;
  }
  return url;
}
