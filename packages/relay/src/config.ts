import { resolve } from 'node:path'
import { adminCredentials, digestToken } from './admin-token.ts'

/** The hosts and ranges that dev mode admits past the SSRF guard, so local endpoints can be tested. */
export const DEV_ALLOW_HOSTS = ['localhost', '127.0.0.0/8', '::1'] as const

/** What `startRelay` accepts; anything left out comes from the environment, then from the defaults. */
export interface RelayOptions {
  /** Port to listen on; 0 picks a free one. @default HOOKLINE_PORT or 8787 */
  port?: number
  /** Interface to listen on. @default HOOKLINE_HOST or "127.0.0.1" */
  host?: string
  /** Where SQLite and the generated admin token live. @default HOOKLINE_DATA_DIR or "./.hookline" */
  dataDir?: string
  /** A `postgres://` URL switches storage to PostgreSQL. @default DATABASE_URL */
  databaseUrl?: string
  /**
   * Bearer token of the admin API.
   * @default HOOKLINE_ADMIN_TOKEN, else generated on first start, printed once, and only its SHA-256 kept in the data dir
   */
  adminToken?: string
  /**
   * The master key that seals webhook and listener secrets in storage: 32 random bytes, base64 or hex.
   * Every relay of one PostgreSQL database needs the same one.
   * @default HOOKLINE_MASTER_KEY, else generated once into `<dataDir>/master.key` (0600)
   * @example 'q3vQ…' // openssl rand -base64 32
   */
  masterKey?: string
  /**
   * Master keys being replaced: they open what they sealed, and the relay seals it again under
   * `masterKey` at start. @default HOOKLINE_MASTER_KEY_PREVIOUS (comma list)
   */
  previousMasterKeys?: string[]
  /**
   * Who may read `/metrics`: the admin token, and `token` (16+ characters) for a scraper that
   * should not hold the admin token; `public: true` serves it to anyone.
   * @default HOOKLINE_METRICS_TOKEN and HOOKLINE_METRICS_PUBLIC=1, else the admin token only
   */
  metrics?: { token?: string; public?: boolean }
  /**
   * Hosts (names, IPs or CIDRs) that webhook URLs may reach despite the SSRF guard.
   * @default HOOKLINE_ALLOW_HOSTS, plus `localhost,127.0.0.0/8,::1` in dev mode
   * @example ['localhost', '127.0.0.0/8', 'hooks.internal.example']
   */
  allowHosts?: string[]
  /** Dev mode: admits loopback webhook URLs. @default HOOKLINE_DEV=1 or `--dev` */
  dev?: boolean
  /** Token bucket per publishable key and client address, in ingest requests. @default HOOKLINE_RATE_LIMIT or 50/s, burst 200 */
  rateLimit?: { perSecond: number; burst: number }
  /**
   * Token bucket per publishable key and client address, in events (every event of a batch counts).
   * @default HOOKLINE_EVENT_RATE_LIMIT or 1,000/s, burst 20,000
   */
  eventRateLimit?: { perSecond: number; burst: number }
  /**
   * Token bucket per publishable key and client address, in session claims, config loads and stream
   * opens together (what each page does once at start, and a stream on each reconnect).
   * @default HOOKLINE_CONNECT_RATE_LIMIT or 50/s, burst 1,000
   */
  connectRateLimit?: { perSecond: number; burst: number }
  /**
   * Token bucket for inbound webhooks, kept twice: once per listener (from everyone) and once per
   * client address (to every listener), taken before the body is read or the signature checked.
   * @default HOOKLINE_INBOUND_RATE_LIMIT or 200/s, burst 2,000
   */
  inboundRateLimit?: { perSecond: number; burst: number }
  /**
   * Token bucket per client address for the public documents (`/v1/openapi.json`).
   * @default HOOKLINE_PUBLIC_RATE_LIMIT or 10/s, burst 100
   */
  publicRateLimit?: { perSecond: number; burst: number }
  /**
   * Token bucket per client address in wrong admin (or metrics) tokens. An address with none left
   * is answered 429 `too_many_auth_failures` on the admin API and `/metrics`, its right token too,
   * until the bucket refills; other addresses are not affected.
   * @default HOOKLINE_AUTH_FAILURE_LIMIT or 0.2/s (one every 5 s), burst 20
   */
  authFailureLimit?: { perSecond: number; burst: number }
  /**
   * Open streams at once: per publishable key (every visitor of a page shares its key) and per
   * client address (a NAT counts as one). Over either, `GET /v1/stream` is 429 with `Retry-After`.
   * @default HOOKLINE_MAX_STREAMS_PER_KEY and HOOKLINE_MAX_STREAMS_PER_ADDRESS, or 10,000 and 1,000
   * (200 people behind one NAT with a few tabs each)
   */
  streams?: { perKey: number; perAddress: number }
  /**
   * SQLite only: `full` puts every ingest commit on disk before the 202; `normal` skips that fsync,
   * so a crash of the process loses nothing but a power cut may lose the last commits.
   * @default HOOKLINE_SYNC or 'full'
   */
  sync?: 'full' | 'normal'
  /**
   * SQLite only: a worker thread owns the database and commits the writes that arrive together in
   * one transaction, so disk syncs never hold up the event loop; each answer still waits for its
   * commit. `false` keeps SQLite on the event loop (one process, one thread). @default
   * HOOKLINE_SQLITE_THREAD or true (faster ingest and delivery and a shorter tail on a quiet
   * machine: BENCHMARKS.md, relay)
   */
  sqliteThread?: boolean
  /**
   * Days events, deliveries, attempts and stream frames are kept; older ones are pruned in the
   * background, never a pending or held delivery. @default HOOKLINE_RETENTION_DAYS or 30
   */
  retentionDays?: number
  /** Whether to write JSON log lines to stdout. @default true, except under vitest */
  log?: boolean
  /**
   * How long a request may take to arrive, headers and body (streams are not cut: their sockets
   * leave the server once the head is written). @default HOOKLINE_REQUEST_TIMEOUT_MS or 30,000
   */
  requestTimeoutMs?: number
  /**
   * Open connections at once: in all, and from one client address. Both are lowered to fit under the
   * process's descriptor limit (one address never more than half). @default HOOKLINE_MAX_CONNECTIONS
   * and HOOKLINE_MAX_CONNECTIONS_PER_ADDRESS, or 20,000 and 2,000 (200 people behind one NAT, a stream
   * and a few requests each)
   */
  connections?: { total: number; perAddress: number }
}

/** The options after defaults and the environment were applied; the rest of the relay reads only this. */
export interface RelayConfig {
  port: number
  host: string
  dataDir: string
  databaseUrl: string | undefined
  /** The master key as given (option or HOOKLINE_MASTER_KEY), or undefined for the data dir's key file. */
  masterKey: string | undefined
  /** Master keys being replaced (they only open). */
  previousMasterKeys: string[]
  /**
   * A token the admin API accepts while this process runs: the configured one, the one generated
   * by this start, or, when only a generated token's hash is on disk, one made for this process.
   */
  adminToken: string
  /** True when the admin token was generated by this start (the CLI prints it once). */
  adminTokenGenerated: boolean
  /** SHA-256 (hex) of each token the admin API accepts. */
  adminTokenDigests: string[]
  /** `/metrics`: open to anyone, or the SHA-256 of each token it accepts (the admin token's among them). */
  metrics: { public: boolean; tokenDigests: string[] }
  allowHosts: string[]
  dev: boolean
  rateLimit: { perSecond: number; burst: number }
  eventRateLimit: { perSecond: number; burst: number }
  connectRateLimit: { perSecond: number; burst: number }
  inboundRateLimit: { perSecond: number; burst: number }
  publicRateLimit: { perSecond: number; burst: number }
  authFailureLimit: { perSecond: number; burst: number }
  streams: { perKey: number; perAddress: number }
  sync: 'full' | 'normal'
  thread: boolean
  retentionDays: number
  log: boolean
  requestTimeoutMs: number
  connections: { total: number; perAddress: number }
}

/**
 * The default buckets. A browser that comes back online with 10,000 queued events sends them as
 * 100 requests of 100 events (the SDK's batch), four at a time, and any 429 costs it a backoff of a
 * second or more: both bursts let two such drains from one address (a NAT) through at once. The
 * sustained rates are what a key's holder gets from one address for ever: 1,000 events/s is far
 * above what people clicking produce, and 25 times less than the 25,000 events/s that 50 requests/s
 * of 500-event batches allowed before events were counted.
 */
const REQUEST_BUCKET = { perSecond: 50, burst: 200 }
const EVENT_BUCKET = { perSecond: 1000, burst: 20_000 }
/**
 * A page claims its session, loads the config and opens its stream at start: three requests. The
 * burst lets 300 pages behind one NAT start at once (a 200-person session and its reloads).
 */
const CONNECT_BUCKET = { perSecond: 50, burst: 1000 }
/**
 * An external system's webhooks: well above what an order or CI pipeline sends (a few a second),
 * with a burst for a backlog it replays after an outage.
 */
const INBOUND_BUCKET = { perSecond: 200, burst: 2000 }
/** A person or a code generator reading the API description. */
const PUBLIC_BUCKET = { perSecond: 10, burst: 100 }
/**
 * Wrong admin tokens: an operator mistyping, or a script with a stale token, has 20 before being
 * slowed to one every 5 s (720 an hour), which is nothing against the token's 192 random bits.
 */
const AUTH_FAILURE_BUCKET = { perSecond: 0.2, burst: 20 }

/** Merges options, the environment and defaults, and validates them once, naming the bad setting. */
export function resolveConfig(options: RelayOptions = {}, env: NodeJS.ProcessEnv = process.env): RelayConfig {
  const dev = options.dev ?? (env.HOOKLINE_DEV === '1' || env.HOOKLINE_DEV === 'true')
  const port = options.port ?? parsePort(env.HOOKLINE_PORT)
  const dataDir = resolve(options.dataDir ?? env.HOOKLINE_DATA_DIR ?? './.hookline')
  const databaseUrl = options.databaseUrl ?? (env.DATABASE_URL || undefined)
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error(
      `DATABASE_URL must be a postgres:// URL (got a ${databaseUrl.split(':')[0]}: URL); leave it unset for SQLite.`,
    )
  }
  const allowHosts = [...(options.allowHosts ?? splitList(env.HOOKLINE_ALLOW_HOSTS)), ...(dev ? DEV_ALLOW_HOSTS : [])]
  const token = options.adminToken ?? (env.HOOKLINE_ADMIN_TOKEN || undefined)
  if (token !== undefined && token.length < 16)
    throw new Error('HOOKLINE_ADMIN_TOKEN must be at least 16 characters long.')
  const admin = adminCredentials(token, dataDir)
  return {
    port,
    host: options.host ?? env.HOOKLINE_HOST ?? '127.0.0.1',
    dataDir,
    databaseUrl,
    masterKey: options.masterKey ?? (env.HOOKLINE_MASTER_KEY || undefined),
    previousMasterKeys: options.previousMasterKeys ?? splitList(env.HOOKLINE_MASTER_KEY_PREVIOUS),
    adminToken: admin.token,
    adminTokenGenerated: admin.generated,
    adminTokenDigests: admin.digests,
    metrics: resolveMetrics(options.metrics, env, admin.digests),
    allowHosts: [...new Set(allowHosts)],
    dev,
    rateLimit: options.rateLimit ?? parseBucket('HOOKLINE_RATE_LIMIT', env.HOOKLINE_RATE_LIMIT, REQUEST_BUCKET),
    eventRateLimit:
      options.eventRateLimit ?? parseBucket('HOOKLINE_EVENT_RATE_LIMIT', env.HOOKLINE_EVENT_RATE_LIMIT, EVENT_BUCKET),
    connectRateLimit:
      options.connectRateLimit ??
      parseBucket('HOOKLINE_CONNECT_RATE_LIMIT', env.HOOKLINE_CONNECT_RATE_LIMIT, CONNECT_BUCKET),
    inboundRateLimit:
      options.inboundRateLimit ??
      parseBucket('HOOKLINE_INBOUND_RATE_LIMIT', env.HOOKLINE_INBOUND_RATE_LIMIT, INBOUND_BUCKET),
    publicRateLimit:
      options.publicRateLimit ??
      parseBucket('HOOKLINE_PUBLIC_RATE_LIMIT', env.HOOKLINE_PUBLIC_RATE_LIMIT, PUBLIC_BUCKET),
    authFailureLimit:
      options.authFailureLimit ??
      parseBucket('HOOKLINE_AUTH_FAILURE_LIMIT', env.HOOKLINE_AUTH_FAILURE_LIMIT, AUTH_FAILURE_BUCKET),
    streams: options.streams ?? {
      perKey: positive('HOOKLINE_MAX_STREAMS_PER_KEY', env.HOOKLINE_MAX_STREAMS_PER_KEY, 10_000),
      perAddress: positive('HOOKLINE_MAX_STREAMS_PER_ADDRESS', env.HOOKLINE_MAX_STREAMS_PER_ADDRESS, 1_000),
    },
    sync: options.sync ?? parseSync(env.HOOKLINE_SYNC),
    thread: options.sqliteThread ?? flag('HOOKLINE_SQLITE_THREAD', env.HOOKLINE_SQLITE_THREAD, true),
    retentionDays: options.retentionDays ?? parseRetention(env.HOOKLINE_RETENTION_DAYS),
    log: options.log ?? !env.VITEST,
    requestTimeoutMs:
      options.requestTimeoutMs ?? positive('HOOKLINE_REQUEST_TIMEOUT_MS', env.HOOKLINE_REQUEST_TIMEOUT_MS, 30_000),
    connections: options.connections ?? {
      total: positive('HOOKLINE_MAX_CONNECTIONS', env.HOOKLINE_MAX_CONNECTIONS, 20_000),
      perAddress: positive('HOOKLINE_MAX_CONNECTIONS_PER_ADDRESS', env.HOOKLINE_MAX_CONNECTIONS_PER_ADDRESS, 2_000),
    },
  }
}

function resolveMetrics(
  options: RelayOptions['metrics'],
  env: NodeJS.ProcessEnv,
  adminDigests: string[],
): RelayConfig['metrics'] {
  const token = options?.token ?? (env.HOOKLINE_METRICS_TOKEN || undefined)
  if (token !== undefined && token.length < 16)
    throw new Error('HOOKLINE_METRICS_TOKEN must be at least 16 characters long.')
  const open = env.HOOKLINE_METRICS_PUBLIC
  if (open && open !== '1' && open !== '0' && open !== 'true' && open !== 'false')
    throw new Error(`HOOKLINE_METRICS_PUBLIC must be "1" or "0" (got "${open.slice(0, 20)}").`)
  return {
    public: options?.public ?? (open === '1' || open === 'true'),
    tokenDigests: [...adminDigests, ...(token ? [digestToken(token)] : [])],
  }
}

function parsePort(text: string | undefined): number {
  if (text === undefined || text === '') return 8787
  const port = Number(text)
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`HOOKLINE_PORT must be a port number 0–65535 (got "${text}").`)
  return port
}

function parseBucket(
  name: string,
  text: string | undefined,
  fallback: { perSecond: number; burst: number },
): { perSecond: number; burst: number } {
  if (!text) return fallback
  const [rate, burst] = text.split(':').map(Number)
  if (!rate || rate <= 0 || (burst !== undefined && !(burst > 0))) {
    throw new Error(
      `${name} must be "perSecond" or "perSecond:burst", like "${fallback.perSecond}:${fallback.burst}" (got "${text}").`,
    )
  }
  return { perSecond: rate, burst: burst ?? rate * 2 }
}

function positive(name: string, text: string | undefined, fallback: number): number {
  if (!text) return fallback
  const value = Number(text)
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`${name} must be a whole number above 0 (got "${text.slice(0, 20)}").`)
  return value
}

function flag(name: string, text: string | undefined, otherwise: boolean): boolean {
  if (!text) return otherwise
  if (text === '1' || text === 'true') return true
  if (text === '0' || text === 'false') return false
  throw new Error(`${name} must be 1, 0, true or false (got "${text.slice(0, 20)}").`)
}

function parseSync(text: string | undefined): 'full' | 'normal' {
  if (!text) return 'full'
  if (text === 'full' || text === 'normal') return text
  throw new Error(`HOOKLINE_SYNC must be "full" or "normal" (got "${text.slice(0, 20)}").`)
}

function splitList(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)
}

function parseRetention(text: string | undefined): number {
  if (!text) return 30
  const days = Number(text)
  if (!(days > 0) || !Number.isFinite(days))
    throw new Error(`HOOKLINE_RETENTION_DAYS must be a number of days above 0, like "30" (got "${text.slice(0, 20)}").`)
  return days
}
