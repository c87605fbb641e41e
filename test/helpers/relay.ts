import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { newId, type HooklineEvent } from '@hookline/protocol'
import { startRelay, type RunningRelay, type StartOptions } from '@hookline/relay'

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
  /** POSTs events with a publishable key; fills in id, ts and sessionId when missing. */
  ingest(key: string, events: Partial<HooklineEvent>[]): Promise<RelayResponse>
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
    rateLimit: { perSecond: 10_000, burst: 10_000 },
    eventRateLimit: { perSecond: 1_000_000, burst: 1_000_000 },
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
    ingest: (key, events) =>
      request('/v1/events', {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ sentAt: new Date().toISOString(), events: events.map(testEvent) }),
      }),
  }
}

/** A valid event, with whatever fields are given. */
export function testEvent(fields: Partial<HooklineEvent> = {}): HooklineEvent {
  return {
    id: newId('evt'),
    name: 'checkout-completed',
    ts: new Date().toISOString(),
    sessionId: 'ses_testsession0001',
    ...fields,
  }
}
