import { checkTargetUrl, isBlockedAddress, isWebhookError } from '@events-protocol/webhooks';
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';

// The verdict on an IPv4 address must not depend on how it is written. ipaddr.js, not our code,
// says which addresses are private; the spellings are the ones URL parsers and sockets accept.

type Octets = readonly [number, number, number, number];

const hex16 = (high: number, low: number): string => ((high << 8) | low).toString(16);

/** Writes a number in decimal, hex (0x, any case) or octal (leading 0s). */
const numberIn = (value: number, base: 'dec' | 'hex' | 'HEX' | 'oct', zeros: number): string =>
  base === 'dec'
    ? String(value)
    : base === 'oct'
      ? `${'0'.repeat(zeros + 1)}${value.toString(8)}`
      : `0${base === 'hex' ? 'x' : 'X'}${'0'.repeat(zeros)}${base === 'hex' ? value.toString(16) : value.toString(16).toUpperCase()}`;

const base = fc.constantFrom('dec' as const, 'hex' as const, 'HEX' as const, 'oct' as const);

/** Host spellings of an IPv4 address, as they appear in a URL. */
const spelling = (octets: Octets): fc.Arbitrary<string> => {
  const [a, b, c, d] = octets;
  const whole = ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;
  const dotted = `${a}.${b}.${c}.${d}`;
  const mappedHex = `${hex16(a, b)}:${hex16(c, d)}`;
  return fc.oneof(
    fc.constant(dotted),
    fc.constant(`${dotted}.`),
    fc.tuple(base, fc.nat(3)).map(([radix, zeros]) => numberIn(whole, radix, zeros)),
    fc
      .tuple(base, base, base, base, fc.nat(2))
      .map(([r1, r2, r3, r4, zeros]) =>
        [numberIn(a, r1, zeros), numberIn(b, r2, zeros), numberIn(c, r3, zeros), numberIn(d, r4, zeros)].join('.'),
      ),
    fc
      .tuple(base, base, base)
      .map(([r1, r2, r3]) => `${numberIn(a, r1, 0)}.${numberIn(b, r2, 0)}.${numberIn((c << 8) + d, r3, 0)}`),
    fc.tuple(base, base).map(([r1, r2]) => `${numberIn(a, r1, 0)}.${numberIn((b << 16) + (c << 8) + d, r2, 0)}`),
    fc.constantFrom(
      `[::ffff:${dotted}]`,
      `[::ffff:${mappedHex}]`,
      `[0:0:0:0:0:ffff:${dotted}]`,
      `[0000:0000:0000:0000:0000:FFFF:${mappedHex.toUpperCase()}]`,
      `[::ffff:0:${dotted}]`,
      `[64:ff9b::${dotted}]`,
      `[64:ff9b::${mappedHex}]`,
      `[2002:${mappedHex}::]`,
      `[2002:${mappedHex}:1:2:3:4:5]`,
    ),
    // IPv4-compatible (::a.b.c.d) is the unspecified or loopback address itself below 0.0.0.2.
    whole < 2 ? fc.constant(dotted) : fc.constantFrom(`[::${dotted}]`, `[::${mappedHex}]`),
  );
};

const cidr = (text: string): fc.Arbitrary<Octets> => {
  const [network, bits] = ipaddr.IPv4.parseCIDR(text);
  const start = network.octets.reduce((sum, octet) => sum * 256 + octet, 0);
  return fc.integer({ min: 0, max: 2 ** (32 - bits) - 1 }).map((offset) => {
    const value = start + offset;
    return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255] as const;
  });
};

const anyIPv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255));
const privateIPv4 = fc.oneof(
  ...[
    '127.0.0.0/8',
    '10.0.0.0/8',
    '172.16.0.0/12',
    '192.168.0.0/16',
    '169.254.0.0/16',
    '100.64.0.0/10',
    '0.0.0.0/8',
  ].map(cidr),
);

function refused(url: string): boolean {
  try {
    checkTargetUrl(url);
    return false;
  } catch (error) {
    if (!isWebhookError(error) || error.code !== 'TARGET_REFUSED') throw error;
    return true;
  }
}

describe('every spelling of an address gets the verdict of the address', () => {
  it('refuses every spelling of a loopback, private, link-local, CGNAT or unspecified IPv4', () => {
    fc.assert(
      fc.property(
        privateIPv4.chain((octets) => spelling(octets).map((host) => [octets, host] as const)),
        fc.constantFrom('http', 'https'),
        ([, host], scheme) => {
          expect(refused(`${scheme}://${host}:8080/hook`), host).toBe(true);
        },
      ),
      { numRuns: 4000 },
    );
  }, 120_000);

  it('judges any IPv4 the same in every spelling, agreeing with ipaddr.js on which are public', () => {
    fc.assert(
      fc.property(
        anyIPv4.chain((octets) => spelling(octets).map((host) => [octets, host] as const)),
        ([octets, host]) => {
          const dotted = octets.join('.');
          // 168.63.129.16 is public unicast, but it is Azure's metadata and wire server.
          const publicByIpaddr = ipaddr.IPv4.parse(dotted).range() === 'unicast' && dotted !== '168.63.129.16';
          expect(refused(`http://${dotted}/`), dotted).toBe(!publicByIpaddr);
          expect(refused(`http://${host}/`), host).toBe(!publicByIpaddr);
          expect(isBlockedAddress(dotted), dotted).toBe(!publicByIpaddr);
        },
      ),
      { numRuns: 4000 },
    );
  }, 120_000);
});
