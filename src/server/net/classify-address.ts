// Whether an IP address is a public unicast address we may connect to on a tenant's or browser's
// behalf. ipaddr.js names the special ranges; anything it does not call plain "unicast" is refused.
import { isIP } from 'node:net'
import ipaddr from 'ipaddr.js'

export type AddressVerdict = { public: true } | { public: false; reason: string }

// Instance metadata services (AWS/GCP/Azure/Oracle, AWS over IPv6, Alibaba). The ranges already
// refuse them; naming them gives the refusal a reason an operator recognises.
const METADATA = new Set(['169.254.169.254', 'fd00:ec2::254', '100.100.100.200'])

// Global unicast IPv6 is 2000::/3 (RFC 4291); ipaddr.js calls e.g. the deprecated IPv4-compatible
// ::a.b.c.d "unicast", so IPv6 must also fall inside this block.
const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR('2000::/3')
const NAT64_WELL_KNOWN = ipaddr.IPv6.parseCIDR('64:ff9b::/96')

const READABLE: Record<string, string> = {
  unspecified: 'an unspecified address',
  broadcast: 'a broadcast address',
  multicast: 'a multicast address',
  linkLocal: 'a link-local address',
  loopback: 'a loopback address',
  carrierGradeNat: 'a carrier-grade NAT address',
  private: 'a private address',
  reserved: 'a reserved or documentation address',
  uniqueLocal: 'a unique-local address',
  deprecatedSiteLocal: 'a site-local address',
}

const refuse = (reason: string): AddressVerdict => ({ public: false, reason })
const v4FromWords = (high: number, low: number) => new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff])

function classifyV4(address: ipaddr.IPv4): AddressVerdict {
  if (METADATA.has(address.toString())) return refuse('a cloud metadata address')
  const range = address.range()
  return range === 'unicast' ? { public: true } : refuse(READABLE[range] ?? `a special-purpose address (${range})`)
}

// An IPv6 address that carries an IPv4 address: it is as public as that IPv4 address.
function embedded(address: ipaddr.IPv6, label: string, ...carried: ipaddr.IPv4[]): AddressVerdict {
  for (const v4 of carried) {
    const verdict = classifyV4(v4)
    if (!verdict.public) return refuse(`${label} of ${v4.toString()}, ${verdict.reason}`)
  }
  return { public: true }
}

function classifyV6(address: ipaddr.IPv6): AddressVerdict {
  const p = address.parts
  if (METADATA.has(address.toString())) return refuse('a cloud metadata address')
  const range = address.range()
  switch (range) {
    case 'ipv4Mapped': // ::ffff:a.b.c.d
      return embedded(address, 'an IPv4-mapped form', address.toIPv4Address())
    case 'rfc6145': // ::ffff:0:a.b.c.d (SIIT)
      return embedded(address, 'an IPv4-translated form', v4FromWords(p[6]!, p[7]!))
    case 'rfc6052': // NAT64: only the well-known /96 is routed to the embedded IPv4 address
      return address.match(NAT64_WELL_KNOWN) ? embedded(address, 'a NAT64 form', v4FromWords(p[6]!, p[7]!)) : refuse('a local-use NAT64 address')
    case '6to4': // 2002:AABB:CCDD::/48 routes to A.B.C.D
      return embedded(address, 'a 6to4 form', v4FromWords(p[1]!, p[2]!))
    case 'teredo': // 2001:0:SERVER:flags:port:~CLIENT
      return embedded(address, 'a Teredo form', v4FromWords(p[2]!, p[3]!), v4FromWords(~p[6]! & 0xffff, ~p[7]! & 0xffff))
    case 'unicast':
      return address.match(GLOBAL_UNICAST_V6) ? { public: true } : refuse('a reserved IPv6 address')
    default:
      return refuse(READABLE[range] ?? `a special-purpose address (${range})`)
  }
}

/** Classifies one IP address in standard notation (as DNS answers and WHATWG URL host names give them). */
export function classifyAddress(ip: string): AddressVerdict {
  const bare = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip
  // net.isIP is strict: no octal, hex or short forms, which ipaddr.js would otherwise read its own way.
  if (!isIP(bare)) return refuse('not an IP address')
  const address = ipaddr.parse(bare)
  return address.kind() === 'ipv4' ? classifyV4(address as ipaddr.IPv4) : classifyV6(address as ipaddr.IPv6)
}
