import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import { WebhookError, WebhookErrorCode } from './webhook-error.js';

/**
 * Which targets webhooks may be sent to. By default only public addresses: loopback, private,
 * link-local, carrier-grade NAT, multicast and cloud metadata addresses are refused, at
 * subscription time and again at connect time after DNS resolution (so a name that resolves to
 * an internal address is refused too). Allow internal targets explicitly, for tests and internal use.
 */
export interface TargetPolicy {
  /** Allow every private and loopback address (tests, internal deployments). */
  allowPrivateNetworks?: boolean;
  /** Hosts (names or IP literals) allowed whatever they resolve to. */
  allowedHosts?: readonly string[];
}

function ipv4Blocked(address: string): boolean {
  const [a = 0, b = 0] = address.split('.').map(Number);
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0) ||
    (a === 198 && (b === 18 || b === 19)) ||
    a >= 224
  );
}

/** Whether an IP address is one webhooks must not reach by default. */
export function isBlockedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return ipv4Blocked(address);
  if (family !== 6) return true;
  const lower = address.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (mapped?.[1] !== undefined) return ipv4Blocked(mapped[1]);
  return (
    lower === '::' ||
    lower === '::1' ||
    lower.startsWith('fc') ||
    lower.startsWith('fd') ||
    /^fe[89ab]/.test(lower) ||
    lower.startsWith('ff')
  );
}

function stripBrackets(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

/**
 * Checks a target URL against the policy: http(s) only, and no blocked IP literal. Names are
 * checked again when connecting (see {@link guardedLookup}).
 *
 * @throws {WebhookError} `TARGET_REFUSED` naming the reason.
 */
export function checkTargetUrl(targetUrl: string, policy: TargetPolicy = {}): URL {
  let url: URL;
  try {
    url = new URL(targetUrl);
  } catch (error) {
    throw new WebhookError(WebhookErrorCode.TargetRefused, `not a URL: ${targetUrl}`, { cause: error });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new WebhookError(WebhookErrorCode.TargetRefused, `the target must be http(s), got ${url.protocol}`);
  }
  const host = stripBrackets(url.hostname);
  if (policy.allowPrivateNetworks === true || policy.allowedHosts?.includes(host) === true) return url;
  if (host === 'localhost' || host.endsWith('.localhost') || (isIP(host) !== 0 && isBlockedAddress(host))) {
    throw new WebhookError(WebhookErrorCode.TargetRefused, `the target ${host} is a private or loopback address`);
  }
  return url;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A DNS lookup for sockets that refuses blocked addresses after resolution: the connect-time half
 * of the target policy, against names that resolve (or rebind) to internal addresses.
 */
export function guardedLookup(policy: TargetPolicy = {}) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error !== null) {
        callback(error, []);
        return;
      }
      const allowed =
        policy.allowPrivateNetworks === true || policy.allowedHosts?.includes(hostname) === true
          ? addresses
          : addresses.filter((entry) => !isBlockedAddress(entry.address));
      if (allowed.length === 0) {
        const refused: NodeJS.ErrnoException = new Error(`webhook target ${hostname} resolves to a blocked address`);
        refused.code = 'EWEBHOOKTARGETBLOCKED';
        callback(refused, []);
        return;
      }
      if (options.all === true) callback(null, allowed);
      else callback(null, allowed[0]?.address ?? '', allowed[0]?.family);
    });
  };
}
