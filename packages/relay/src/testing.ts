import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRelay, type CreateRelayOptions, type Relay } from './relay.ts'

// The relay's own tests: a relay that does not listen, in a fresh data dir, asked through Hono's
// `app.request()` (no socket). Not part of the package's surface: index.ts does not export it.
// Tests that need sockets (streams, delivery to endpoints, several nodes) live in the repository's test/.

/** A JSON answer: tests read it by path, and their assertions are its type check. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a test reads an answer by path; `expect` checks it
export type Answer = { status: number; headers: Headers; body: any }

export interface InProcessRelay extends Relay {
  dataDir: string
  adminToken: string
  /** Any request, with no credentials added; the body is parsed when it is JSON. */
  request(path: string, init?: RequestInit): Promise<Answer>
  /** An admin request (the admin token is added); a body is sent as JSON. */
  admin(method: string, path: string, body?: unknown): Promise<Answer>
  /** Creates a project; answers its id and publishable keys. */
  createProject(project?: { name?: string; allowedOrigins?: string[] }): Promise<{
    projectId: string
    keys: { test: string; live: string }
  }>
}

const ADMIN_TOKEN = 'test-admin-token-0123456789'

/** A relay in dev mode with logging off and a generous rate limit; `close()` removes its data dir. */
export async function createTestRelay(options: CreateRelayOptions = {}): Promise<InProcessRelay> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hookline-relay-unit-'))
  const relay = await createRelay({
    dev: true,
    log: false,
    adminToken: ADMIN_TOKEN,
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
  const request = async (path: string, init?: RequestInit): Promise<Answer> => {
    const response = await relay.app.request(path, init)
    const text = await response.text()
    let body: unknown = text
    try {
      body = text ? JSON.parse(text) : undefined
    } catch {
      // Not JSON: the text itself.
    }
    return { status: response.status, headers: response.headers, body }
  }
  const admin = (method: string, path: string, body?: unknown) =>
    request(path, {
      method,
      headers: {
        authorization: `Bearer ${ADMIN_TOKEN}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  return {
    ...relay,
    dataDir,
    adminToken: ADMIN_TOKEN,
    request,
    admin,
    async createProject(project = {}) {
      const res = await admin('POST', '/v1/projects', { name: project.name ?? 'Test project', ...project })
      if (res.status !== 201) throw new Error(`createProject: ${res.status} ${JSON.stringify(res.body)}`)
      const { project: created, keys } = res.body as { project: { id: string }; keys: { test: string; live: string } }
      return { projectId: created.id, keys }
    },
    async close() {
      await relay.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
