import ipaddr from 'ipaddr.js';

const ipv4Compatible = ipaddr.IPv6.parseCIDR('::/96');
const nat64 = ipaddr.IPv6.parseCIDR('64:ff9b::/96');
const rfc6145 = ipaddr.IPv6.parseCIDR('::ffff:0:0:0/96');

function lastWords(address: ipaddr.IPv6, high: number, low: number): ipaddr.IPv4 {
  const words = address.parts;
  const a = words[high] ?? 0;
  const b = words[low] ?? 0;
  return new ipaddr.IPv4([a >> 8, a & 0xff, b >> 8, b & 0xff]);
}

/**
 * The IPv4 address an IPv6 address carries, where it carries one: IPv4-mapped (`::ffff:a.b.c.d`),
 * IPv4-translated (`::ffff:0:a.b.c.d`), IPv4-compatible (`::a.b.c.d`), NAT64 (`64:ff9b::a.b.c.d`)
 * and 6to4 (`2002:aabb:ccdd::/48`). A reachable IPv4 behind one of these is judged as that IPv4.
 */
export function embeddedIPv4(address: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  if (address.isIPv4MappedAddress()) return address.toIPv4Address();
  if (address.match(rfc6145) || address.match(nat64)) return lastWords(address, 6, 7);
  if (address.range() === '6to4') return lastWords(address, 1, 2);
  // `::` and `::1` are in ::/96 too, but they are the unspecified and loopback addresses themselves.
  if (address.match(ipv4Compatible) && address.range() === 'unicast') return lastWords(address, 6, 7);
  return undefined;
}
