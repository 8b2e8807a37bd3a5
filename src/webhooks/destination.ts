/**
 * Where a webhook may be delivered: only to public unicast addresses. The ranges come from ipaddr.js,
 * which follows IANA's IPv4 and IPv6 special-purpose address registries (loopback, private, link-local,
 * carrier-grade NAT, multicast, broadcast, reserved, benchmarking, documentation, unique local, …), not
 * from a list of our own. Two rules on top of it:
 * - an IPv6 address that carries an IPv4 one (IPv4-mapped `::ffff:a.b.c.d`, NAT64 `64:ff9b::a.b.c.d`,
 *   6to4 `2002:aabb:ccdd::`) is what its IPv4 address is: NAT64 of loopback is loopback;
 * - an IPv6 address outside 2000::/3, the only block IANA allocates as global unicast, is not a public
 *   host (this covers the deprecated IPv4-compatible `::a.b.c.d`, which ipaddr.js calls unicast).
 */
import ipaddr from 'ipaddr.js';

/** A category in words, for refusals: they name what the address is, never the address itself. */
const LABELS: Record<string, string> = {
  unspecified: 'unspecified',
  broadcast: 'broadcast',
  multicast: 'multicast',
  linkLocal: 'link-local',
  loopback: 'loopback',
  carrierGradeNat: 'carrier-grade NAT (shared)',
  private: 'private',
  reserved: 'reserved',
  as112: 'AS112 (reserved)',
  amt: 'AMT relay (reserved)',
  uniqueLocal: 'unique local (private)',
  deprecatedSiteLocal: 'site-local (deprecated, private)',
  discard: 'discard-only',
  rfc6145: 'IPv4-translated',
  rfc6052: 'local-use NAT64',
  teredo: 'Teredo tunnel',
  benchmarking: 'benchmarking',
  as112v6: 'AS112 (reserved)',
  deprecatedOrchid: 'ORCHID (reserved)',
  orchid2: 'ORCHIDv2 (reserved)',
  droneRemoteIdProtocolEntityTags: 'drone remote ID (reserved)',
  segmentRouting: 'segment routing (reserved)',
  unallocated: 'unallocated (not global unicast)',
};

/** What the address is: 'public' for a public unicast host, else the name of its special-purpose category. */
export function addressCategory(address: string): string {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (!ipaddr.isValid(bare)) return 'invalid';
  const ip = ipaddr.parse(bare);
  if (ip.kind() === 'ipv4') return category((ip as ipaddr.IPv4).range());
  const v6 = ip as ipaddr.IPv6;
  const range = v6.range();
  const embedded = embeddedIpv4(v6, range);
  if (embedded) return addressCategory(embedded.toString());
  if (range === 'unicast' && !v6.match(GLOBAL_UNICAST)) return 'unallocated';
  return category(range);
}

const category = (range: string) => (range === 'unicast' ? 'public' : range);

/** 2000::/3, the global unicast block. */
const GLOBAL_UNICAST = ipaddr.parseCIDR('2000::/3');
/** The NAT64 well-known prefix (RFC 6052); the local-use 64:ff9b:1::/48 beside it is not public. */
const NAT64 = ipaddr.parseCIDR('64:ff9b::/96');

/** The IPv4 address an IPv6 one stands for, where it stands for one. */
function embeddedIpv4(ip: ipaddr.IPv6, range: string): ipaddr.IPv4 | null {
  const bytes = ip.toByteArray();
  if (range === 'ipv4Mapped' || (range === 'rfc6052' && ip.match(NAT64))) return new ipaddr.IPv4(bytes.slice(12, 16));
  if (range === '6to4') return new ipaddr.IPv4(bytes.slice(2, 6));
  return null;
}

/** Whether webhooks may be delivered to this address. */
export const isPublicAddress = (address: string) => addressCategory(address) === 'public';

/** "a loopback address", "an unspecified address": a category for a sentence. */
export function describeCategory(name: string): string {
  const label = LABELS[name] ?? name;
  return `${/^[aeiou]/i.test(label) ? 'an' : 'a'} ${label} address`;
}
