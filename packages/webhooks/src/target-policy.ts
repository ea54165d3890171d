import ipaddr from 'ipaddr.js';
import { embeddedIPv4 } from './embedded-ipv4.js';
import { WebhookError, WebhookErrorCode } from './webhook-error.js';

/**
 * Which targets webhooks may be sent to. By default only public unicast addresses: loopback,
 * private, link-local, carrier-grade NAT, unique-local, multicast, reserved and documentation
 * ranges are refused, in every spelling (IPv4-mapped, NAT64, 6to4, integer or octal IPv4, …), when
 * a subscription is saved and again on the address actually dialled after DNS resolution. Cloud
 * metadata, unspecified, multicast and broadcast addresses are refused whatever the policy says.
 */
export interface TargetPolicy {
  /**
   * CIDR ranges let through besides public addresses, e.g. `['10.0.0.0/8', '127.0.0.1/32']`.
   * An address inside an IPv6 form that carries an IPv4 (`::ffff:10.1.2.3`) matches as that IPv4.
   */
  allow?: readonly string[];
  /**
   * Shorthand for allowing the private ranges: loopback (`127.0.0.0/8`, `::1`), RFC 1918,
   * carrier-grade NAT (`100.64.0.0/10`) and unique-local IPv6 (`fc00::/7`). Link-local addresses
   * are not included; list them in `allow` to reach them.
   */
  allowPrivateNetworks?: boolean;
  /**
   * Host names let through whatever address they resolve to (metadata addresses excepted), for
   * internal services known by name. Compared with the URL's lowercase host name.
   */
  allowedHosts?: readonly string[];
}

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

const privateRanges = ['127.0.0.0/8', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '::1/128'];
const privateIPv6 = ['fc00::/7'];

/** Instance metadata and credential endpoints of the large clouds: never a webhook target. */
const metadataRanges: readonly Range[] = [
  '169.254.169.254/32',
  '169.254.170.2/32',
  '169.254.170.23/32',
  '100.100.100.200/32',
  '192.0.0.192/32',
  '168.63.129.16/32',
  'fd00:ec2::254/128',
  'fd00:ec2::23/128',
].map((cidr) => ipaddr.parseCIDR(cidr));

const neverDialled: ReadonlySet<string> = new Set(['unspecified', 'multicast', 'broadcast']);

function within(address: ipaddr.IPv4 | ipaddr.IPv6, ranges: readonly Range[]): boolean {
  return ranges.some(([network, bits]) => network.kind() === address.kind() && address.match(network, bits));
}

function parseRanges(cidrs: readonly string[]): Range[] {
  return cidrs.map((cidr) => {
    try {
      if (cidr.includes('/')) return ipaddr.parseCIDR(cidr);
      const single = ipaddr.parse(cidr);
      return [single, single.kind() === 'ipv4' ? 32 : 128];
    } catch (error) {
      throw new WebhookError(
        WebhookErrorCode.InvalidOptions,
        `targetPolicy.allow: '${cidr}' is not a CIDR range (like 10.0.0.0/8) or an IP address`,
        { cause: error },
      );
    }
  });
}

/** A {@link TargetPolicy} made ready to judge addresses; built once per subscriptions or dispatcher. */
export class CompiledTargetPolicy {
  readonly #allowed: readonly Range[];
  readonly #hosts: ReadonlySet<string>;

  /** @throws {WebhookError} `INVALID_OPTIONS` for an allow entry that is not a CIDR range. */
  constructor(policy: TargetPolicy = {}) {
    const allow = [...(policy.allow ?? [])];
    if (policy.allowPrivateNetworks === true) allow.push(...privateRanges, ...privateIPv6);
    this.#allowed = parseRanges(allow);
    this.#hosts = new Set((policy.allowedHosts ?? []).map((host) => host.toLowerCase()));
  }

  /** Whether `hostname` is let through by name (`allowedHosts`). */
  allowsHost(hostname: string): boolean {
    return this.#hosts.has(normalHost(hostname));
  }

  /**
   * Why `address` (any spelling) may not be reached, or `undefined` when it may. `hostname` is the
   * name it was resolved from, for `allowedHosts`.
   */
  refusal(address: string, hostname?: string): string | undefined {
    let parsed: ipaddr.IPv4 | ipaddr.IPv6;
    try {
      parsed = ipaddr.parse(stripBrackets(address));
    } catch {
      return `${address} is not an IP address`;
    }
    const carried = parsed.kind() === 'ipv6' ? embeddedIPv4(parsed as ipaddr.IPv6) : undefined;
    const judged = carried === undefined ? [parsed] : [parsed, carried];
    const shown = carried === undefined ? address : `${address} (${carried.toString()})`;
    if (judged.some((candidate) => within(candidate, metadataRanges))) {
      return `${shown} is a cloud metadata address, refused whatever the target policy`;
    }
    const never = judged.find((candidate) => neverDialled.has(candidate.range()));
    if (never !== undefined) return `${shown} is not a public address (${never.range()}), refused whatever the policy`;
    if (hostname !== undefined && this.allowsHost(hostname)) return undefined;
    if (judged.some((candidate) => within(candidate, this.#allowed))) return undefined;
    const innermost = carried ?? parsed;
    if (innermost.range() !== 'unicast') return `${shown} is not a public address (${innermost.range()})`;
    if (carried !== undefined && !['ipv4Mapped', 'rfc6145', 'rfc6052', '6to4', 'unicast'].includes(parsed.range())) {
      return `${shown} is not a public address (${parsed.range()})`;
    }
    return undefined;
  }
}

function stripBrackets(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

/** A host name compared the way DNS does: lowercase, without the root's trailing dot. */
export function normalHost(hostname: string): string {
  const lower = stripBrackets(hostname).toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/** Whether a URL host is an IP literal; the WHATWG parser has already rewritten IPv4 forms to dotted quads. */
export function isIpLiteral(hostname: string): boolean {
  const host = stripBrackets(hostname);
  return host !== hostname || ipaddr.IPv4.isValidFourPartDecimal(host);
}

/** Whether an IP address (any spelling) is one the policy refuses; every non-address is refused. */
export function isBlockedAddress(address: string, policy: TargetPolicy = {}): boolean {
  return new CompiledTargetPolicy(policy).refusal(address) !== undefined;
}

function refused(message: string, cause?: unknown): WebhookError {
  return new WebhookError(WebhookErrorCode.TargetRefused, message, cause === undefined ? {} : { cause });
}

/**
 * Checks a target URL without DNS: http(s) only, no refused IP literal in any spelling, no
 * `localhost` name. Names are checked once resolved, when saving (see `WebhookSubscriptions`) and
 * when connecting.
 *
 * @throws {WebhookError} `TARGET_REFUSED` naming the reason; `INVALID_OPTIONS` for a bad policy.
 */
export function checkTargetUrl(targetUrl: string, policy: TargetPolicy = {}): URL {
  return checkTargetUrlWith(targetUrl, new CompiledTargetPolicy(policy));
}

/** {@link checkTargetUrl} with a policy compiled once, for the subscriptions and the dispatcher. */
export function checkTargetUrlWith(targetUrl: string, compiled: CompiledTargetPolicy): URL {
  let url: URL;
  try {
    url = new URL(targetUrl);
  } catch (error) {
    throw refused(`not a URL: ${targetUrl}`, error);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw refused(`the target must be http(s), got ${url.protocol}`);
  }
  const host = normalHost(url.hostname);
  if (isIpLiteral(url.hostname)) {
    const reason = compiled.refusal(host, host);
    if (reason !== undefined) throw refused(`the target ${reason}`);
  } else if (host === 'localhost' || host.endsWith('.localhost')) {
    // Such names are loopback by definition (RFC 6761), whatever a resolver says.
    if (compiled.refusal('127.0.0.1', host) !== undefined) {
      throw refused(`the target ${host} is not a public address (loopback)`);
    }
  }
  return url;
}
