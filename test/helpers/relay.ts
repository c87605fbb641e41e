import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { newId, type HooklineEvent } from '@hookline/protocol'
import { startRelay, type RunningRelay, type StartOptions } from '@hookline/relay'

// Session tokens by publishable key and session, shared by every relay of the test file: nodes of
// one database, or a relay restarted on its data dir, know the sessions claimed through the others.
const tokens = new Map<string, string>()
const claiming = new Map<string, Promise<string>>()

/** The master key test relays seal secrets under (32 bytes, base64). */
export const TEST_MASTER_KEY = Buffer.from('hookline-test-master-key-0123456').toString('base64')

const DEFAULT_SESSION = 'ses_testsession0001'
const DEFAULT_LIVE_SESSION = 'ses_livesession0001'

/** A JSON answer from the relay. */
export interface RelayResponse<T = any> {
  status: number
  headers: Headers
  body: T
}

export interface TestProject {
  projectId: string
  keys: { test: string; live: string }
}

export interface TestRelay extends RunningRelay {
  dataDir: string
  /** An admin request (the admin token is added); a body is sent as JSON. */
  admin<T = any>(method: string, path: string, body?: unknown): Promise<RelayResponse<T>>
  /** Any request to the relay, with no credentials added. */
  request<T = any>(path: string, init?: RequestInit): Promise<RelayResponse<T>>
  createProject(options?: { name?: string; allowedOrigins?: string[] }): Promise<TestProject>
  /** Creates a webhook (defaults: every event, test environment); returns it and its secret. */
  createWebhook(
    projectId: string,
    body: Record<string, unknown> & { url: string },
  ): Promise<{ webhook: any; secret: string }>
  /**
   * POSTs events with a publishable key; fills in id, ts and sessionId when missing, and claims
   * each session (once per key) to send its token in `sessionTokens`.
   */
  ingest(key: string, events: Partial<HooklineEvent>[]): Promise<RelayResponse>
  /** `POST /v1/sessions` with the key: 201 `{id, token}` (the token is remembered for `ingest`). */
  claimSession(key: string, id?: string): Promise<RelayResponse<{ id: string; token: string }>>
  /**
   * A batch body (JSON text) with the token of each of its sessions in `sessionTokens`, claimed as
   * needed; with a live key, events of the default test session move to a live default session.
   * Text that is not a batch is returned as it is.
   */
  withSessionTokens(key: string, body: string): Promise<string>
  /** The session's token for this key, claiming the session the first time it is asked for. */
  sessionToken(key: string, sessionId: string): Promise<string>
  /** `/v1/stream?session=…&key=…&token=…` (and `extra` query parameters), the session claimed if need be. */
  streamPath(key: string, sessionId: string, extra?: Record<string, string>): Promise<string>
}

/**
 * Starts a relay in this process on 127.0.0.1, port 0, in a fresh temp data dir, with loopback
 * admitted past the SSRF guard (dev mode). `close()` also removes the data dir unless `keepDataDir`.
 */
export async function startTestRelay(options: StartOptions & { keepDataDir?: boolean } = {}): Promise<TestRelay> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'hookline-relay-'))
  const relay = await startRelay({
    port: 0,
    host: '127.0.0.1',
    dev: true,
    log: false,
    adminToken: 'test-admin-token-0123456789',
    // One key for every test relay, as nodes of one database need (a test may pass its own, or undefined for the key file).
    masterKey: TEST_MASTER_KEY,
    rateLimit: { perSecond: 10_000, burst: 10_000 },
    eventRateLimit: { perSecond: 1_000_000, burst: 1_000_000 },
    connectRateLimit: { perSecond: 10_000, burst: 10_000 },
    inboundRateLimit: { perSecond: 100_000, burst: 100_000 },
    publicRateLimit: { perSecond: 10_000, burst: 10_000 },
    authFailureLimit: { perSecond: 10_000, burst: 10_000 },
    streams: { perKey: 100_000, perAddress: 100_000 },
    ...options,
    dataDir,
  })

  const request = async <T = any>(path: string, init?: RequestInit): Promise<RelayResponse<T>> => {
    const response = await fetch(relay.url + path, init)
    const text = await response.text()
    let body: any = text
    try {
      body = text ? JSON.parse(text) : undefined
    } catch {
      // Not JSON: the text itself.
    }
    return { status: response.status, headers: response.headers, body }
  }
  const claimSession = async (key: string, id?: string) => {
    const res = await request<{ id: string; token: string }>('/v1/sessions', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(id === undefined ? {} : { id }),
    })
    if (res.status === 201) tokens.set(`${key} ${res.body.id}`, res.body.token)
    return res
  }
  // One claim per key and session, however many requests ask for its token at once.
  const sessionToken = (key: string, sessionId: string): Promise<string> => {
    const known = tokens.get(`${key} ${sessionId}`)
    if (known) return Promise.resolve(known)
    let pending = claiming.get(`${key} ${sessionId}`)
    if (!pending) {
      pending = claimSession(key, sessionId).then((res) => {
        if (res.status !== 201) throw new Error(`claimSession ${sessionId}: ${res.status} ${JSON.stringify(res.body)}`)
        return res.body.token
      })
      claiming.set(`${key} ${sessionId}`, pending)
      pending.catch(() => claiming.delete(`${key} ${sessionId}`))
    }
    return pending
  }
  const withSessionTokens = async (key: string, body: string): Promise<string> => {
    let value: any
    try {
      value = JSON.parse(body)
    } catch {
      return body
    }
    if (!/^pk_(test|live)_/.test(key) || !Array.isArray(value?.events)) return body
    const live = key.startsWith('pk_live_')
    const sessionTokens: Record<string, string> = { ...value.sessionTokens }
    for (const event of value.events) {
      // A session belongs to one environment, so live keys get a default session of their own.
      if (live && event?.sessionId === DEFAULT_SESSION) event.sessionId = DEFAULT_LIVE_SESSION
      const id: unknown = event?.sessionId
      if (typeof id !== 'string' || !/^ses_[0-9A-Za-z_-]{8,64}$/.test(id) || id in sessionTokens) continue
      // A key the relay refuses claims nothing: the batch goes without, for the relay to refuse.
      const token = await sessionToken(key, id).catch(() => undefined)
      if (token) sessionTokens[id] = token
    }
    return JSON.stringify({ ...value, sessionTokens })
  }
  const admin = <T = any>(method: string, path: string, body?: unknown) =>
    request<T>(path, {
      method,
      headers: {
        authorization: `Bearer ${relay.adminToken}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    })

  return {
    ...relay,
    dataDir,
    admin,
    request,
    close: async () => {
      await relay.close()
      if (!options.keepDataDir && !options.dataDir) rmSync(dataDir, { recursive: true, force: true })
    },
    createProject: async (project = {}) => {
      const res = await admin('POST', '/v1/projects', { name: project.name ?? 'Test project', ...project })
      if (res.status !== 201) throw new Error(`createProject: ${res.status} ${JSON.stringify(res.body)}`)
      return { projectId: res.body.project.id, keys: res.body.keys }
    },
    createWebhook: async (projectId, body) => {
      const res = await admin('POST', `/v1/projects/${projectId}/webhooks`, {
        name: 'Test webhook',
        events: ['*'],
        ...body,
      })
      if (res.status !== 201) throw new Error(`createWebhook: ${res.status} ${JSON.stringify(res.body)}`)
      return res.body
    },
    ingest: async (key, events) =>
      request('/v1/events', {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: await withSessionTokens(
          key,
          JSON.stringify({ sentAt: new Date().toISOString(), events: events.map(testEvent) }),
        ),
      }),
    claimSession,
    sessionToken,
    withSessionTokens,
    streamPath: async (key, sessionId, extra = {}) => {
      const token = await sessionToken(key, sessionId)
      return `/v1/stream?${new URLSearchParams({ session: sessionId, key, token, ...extra }).toString()}`
    },
  }
}

/** A valid event, with whatever fields are given. */
export function testEvent(fields: Partial<HooklineEvent> = {}): HooklineEvent {
  return {
    id: newId('evt'),
    name: 'checkout-completed',
    ts: new Date().toISOString(),
    sessionId: DEFAULT_SESSION,
    ...fields,
  }
}
