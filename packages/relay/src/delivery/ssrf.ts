import { lookup as dnsLookup } from 'node:dns'
import { BlockList, isIP, isIPv4, type LookupFunction } from 'node:net'

/**
 * The SSRF guard: webhook URLs must be https (plain http only for allowed hosts), and every address
 * a URL leads to is checked when the connection is made — IP literals before any socket exists,
 * names in the `lookup` the socket uses — so a name that resolves to a refused address is refused
 * too. `HOOKLINE_ALLOW_HOSTS` admits names, addresses and CIDRs.
 */

/** One refused range, with the rule name the refusal reports. */
interface Range {
  rule: string
  cidr: string
}

// Most specific first: the first rule that matches is the one reported.
const IPV4_RANGES: Range[] = [
  { rule: 'cloud_metadata', cidr: '169.254.169.254/32' },
  { rule: 'cloud_metadata', cidr: '100.100.100.200/32' },
  { rule: 'cloud_metadata', cidr: '168.63.129.16/32' },
  { rule: 'unspecified', cidr: '0.0.0.0/8' },
  { rule: 'private', cidr: '10.0.0.0/8' },
  { rule: 'cgnat', cidr: '100.64.0.0/10' },
  { rule: 'loopback', cidr: '127.0.0.0/8' },
  { rule: 'link_local', cidr: '169.254.0.0/16' },
  { rule: 'private', cidr: '172.16.0.0/12' },
  { rule: 'reserved', cidr: '192.0.0.0/24' },
  { rule: 'documentation', cidr: '192.0.2.0/24' },
  { rule: 'reserved', cidr: '192.88.99.0/24' },
  { rule: 'private', cidr: '192.168.0.0/16' },
  { rule: 'benchmarking', cidr: '198.18.0.0/15' },
  { rule: 'documentation', cidr: '198.51.100.0/24' },
  { rule: 'documentation', cidr: '203.0.113.0/24' },
  { rule: 'multicast', cidr: '224.0.0.0/4' },
  { rule: 'reserved', cidr: '240.0.0.0/4' },
]

const IPV6_RANGES: Range[] = [
  { rule: 'cloud_metadata', cidr: 'fd00:ec2::254/128' },
  { rule: 'unspecified', cidr: '::/128' },
  { rule: 'loopback', cidr: '::1/128' },
  { rule: 'reserved', cidr: '::/96' },
  { rule: 'reserved', cidr: '100::/64' },
  { rule: 'reserved', cidr: '2001::/23' },
  { rule: 'documentation', cidr: '2001:db8::/32' },
  { rule: 'unique_local', cidr: 'fc00::/7' },
  { rule: 'link_local', cidr: 'fe80::/10' },
  { rule: 'reserved', cidr: 'fec0::/10' },
  { rule: 'multicast', cidr: 'ff00::/8' },
]

// Host names that reach cloud metadata services without an address in them.
const METADATA_NAMES = new Set([
  'metadata.google.internal',
  'metadata.goog',
  'metadata',
  'instance-data',
  'instance-data.ec2.internal',
])

const compiled = (ranges: Range[], family: 'ipv4' | 'ipv6') =>
  ranges.map((range) => {
    const [network = '', prefix] = range.cidr.split('/')
    const list = new BlockList()
    list.addSubnet(network, Number(prefix), family)
    return { ...range, list, family }
  })
const V4 = compiled(IPV4_RANGES, 'ipv4')
const V6 = compiled(IPV6_RANGES, 'ipv6')

/** Why an address or URL was refused: `rule` is stable (`loopback`, `private`, …), `message` says what to do. */
export class SsrfError extends Error {
  override name = 'SsrfError'
  constructor(
    readonly rule: string,
    message: string,
  ) {
    super(message)
  }
}

export type Decision = { ok: true } | { ok: false; rule: string; range: string }

export class SsrfGuard {
  #names = new Set<string>()
  #allowed = new BlockList()
  #hasAllowedRanges = false

  /** @param allowHosts names (`localhost`), addresses (`::1`) and CIDRs (`127.0.0.0/8`) to admit. */
  constructor(allowHosts: readonly string[]) {
    for (const entry of allowHosts) {
      const [address = '', prefix] = entry.split('/')
      const family = isIP(address)
      if (family) {
        const type = family === 4 ? 'ipv4' : 'ipv6'
        if (prefix === undefined) this.#allowed.addAddress(address, type)
        else this.#allowed.addSubnet(address, Number(prefix), type)
        this.#hasAllowedRanges = true
      } else this.#names.add(entry.toLowerCase().replace(/\.$/, ''))
    }
  }

  /** The decision for one resolved address; `hostname` is the name it came from, if any. */
  checkAddress(address: string, hostname?: string): Decision {
    if (hostname !== undefined && this.#names.has(normalizeHost(hostname))) return { ok: true }
    const family = isIP(address)
    if (family === 0) return { ok: false, rule: 'invalid_address', range: address }
    if (this.#isAllowed(address, family)) return { ok: true }
    if (family === 4) return match(V4, address, 'ipv4')
    const embedded = embeddedIPv4(address)
    if (embedded) {
      if (this.#isAllowed(embedded.address, 4)) return { ok: true }
      const inner = match(V4, embedded.address, 'ipv4')
      if (!inner.ok) return { ok: false, rule: inner.rule, range: `${inner.range} (${embedded.kind})` }
      if (embedded.kind === 'IPv4-mapped IPv6') return { ok: true }
    }
    return match(V6, address, 'ipv6')
  }

  /**
   * Checks a URL before any connection: the scheme, metadata names, and IP literals.
   * Names are checked again, by address, when they are resolved (see `lookup`).
   */
  checkUrl(url: URL): { ok: true } | { ok: false; error: SsrfError } {
    const host = normalizeHost(url.hostname)
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      return refuse(
        'scheme',
        `Webhook URLs must be https://, or http:// for a host in HOOKLINE_ALLOW_HOSTS (got ${url.protocol}).`,
      )
    }
    if (url.protocol === 'http:' && !this.#plainHttpAllowed(host)) {
      return refuse(
        'plain_http',
        `Plain http:// is only allowed for hosts in HOOKLINE_ALLOW_HOSTS; use https:// for ${host}.`,
      )
    }
    if (METADATA_NAMES.has(host) && !this.#names.has(host)) {
      return refuse('cloud_metadata', `${host} is a cloud metadata service, which webhooks may not reach.`)
    }
    if (isIP(host)) {
      const decision = this.checkAddress(host)
      if (!decision.ok) return { ok: false, error: refusal(host, host, decision) }
    }
    return { ok: true }
  }

  /** A `lookup` for node:net that resolves as usual, then refuses if any address is refused. */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) {
        callback(error, [])
        return
      }
      for (const { address } of addresses) {
        const decision = this.checkAddress(address, hostname)
        if (!decision.ok) {
          callback(refusal(hostname, address, decision), [])
          return
        }
      }
      const [first] = addresses
      if (options.all) callback(null, addresses)
      else if (first) callback(null, first.address, first.family)
      else callback(new Error(`${hostname} resolved to no address.`), [])
    })
  }

  #isAllowed(address: string, family: number): boolean {
    return this.#hasAllowedRanges && this.#allowed.check(address, family === 4 ? 'ipv4' : 'ipv6')
  }

  #plainHttpAllowed(host: string): boolean {
    if (this.#names.has(host)) return true
    const family = isIP(host)
    if (!family) return false
    if (this.#isAllowed(host, family)) return true
    const embedded = family === 6 ? embeddedIPv4(host) : null
    return embedded !== null && this.#isAllowed(embedded.address, 4)
  }
}

function refuse(rule: string, message: string): { ok: false; error: SsrfError } {
  return { ok: false, error: new SsrfError(rule, `Refused by the SSRF guard (rule ${rule}): ${message}`) }
}

function refusal(hostname: string, address: string, decision: Extract<Decision, { ok: false }>): SsrfError {
  const via = normalizeHost(hostname) === address ? address : `${hostname} resolved to ${address}, which`
  return new SsrfError(
    decision.rule,
    `Refused by the SSRF guard (rule ${decision.rule}): ${via} is in the ${decision.rule.replace('_', '-')} range ${decision.range}. Add the host to HOOKLINE_ALLOW_HOSTS if it is meant to be reachable.`,
  )
}

function match(ranges: ReturnType<typeof compiled>, address: string, family: 'ipv4' | 'ipv6'): Decision {
  for (const range of ranges)
    if (range.list.check(address, family)) return { ok: false, rule: range.rule, range: range.cidr }
  return { ok: true }
}

function normalizeHost(host: string): string {
  return host
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
}

/** The IPv4 address inside an IPv4-mapped (::ffff:0:0/96), NAT64 (64:ff9b::/96) or 6to4 (2002::/16) address. */
export function embeddedIPv4(address: string): { address: string; kind: string } | null {
  const groups = expandIPv6(address)
  if (!groups) return null
  const v4 = (high: number, low: number) => `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`
  const zeros = (from: number, to: number) => groups.slice(from, to).every((group) => group === 0)
  if (zeros(0, 5) && groups[5] === 0xffff) return { address: v4(groups[6], groups[7]), kind: 'IPv4-mapped IPv6' }
  if (groups[0] === 0x64 && groups[1] === 0xff9b && zeros(2, 6))
    return { address: v4(groups[6], groups[7]), kind: 'NAT64' }
  if (groups[0] === 0x2002) return { address: v4(groups[1], groups[2]), kind: '6to4' }
  return null
}

type Groups = [number, number, number, number, number, number, number, number]

/** The eight 16-bit groups of an IPv6 address, or null. */
function expandIPv6(address: string): Groups | null {
  let [text = ''] = address.replace(/^\[|\]$/g, '').split('%')
  if (isIP(text) !== 6) return null
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1]
  if (dotted && isIPv4(dotted)) {
    const [a, b, c, d] = dotted.split('.').map(Number) as [number, number, number, number]
    text = text.slice(0, -dotted.length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
  }
  const [head, tail] = text.split('::') as [string, string | undefined]
  const parse = (part: string) => (part ? part.split(':').map((group) => parseInt(group, 16)) : [])
  const left = parse(head)
  const right = tail === undefined ? [] : parse(tail)
  const fill = tail === undefined ? [] : new Array<number>(8 - left.length - right.length).fill(0)
  const groups = [...left, ...fill, ...right]
  return groups.length === 8 ? (groups as Groups) : null
}
