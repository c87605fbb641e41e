import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { AdminError, adminClient } from './admin-client.ts'
import { DEMO_CONFIG, DEMO_LISTENER, DEMO_PROJECT_NAME, DEMO_RESPONSE_MAPPING } from './demo-project.ts'

/** What the seed made, kept in the data dir so the next start finds the same project. */
export interface DemoProject {
  projectId: string
  testKey: string
  webhookId: string
  listenerId: string
  /** Relay path, `/v1/inbound/lst_…`. */
  listenerPath: string
  /** Shown once by the relay; kept here (a local, git-ignored file) so the mock can sign its callbacks. */
  listenerSecret: string
}

interface SeedOptions {
  relayUrl: string
  adminToken: string
  /** Where the seeded webhook delivers: the mock fulfillment service. */
  ordersUrl: string
  /** `<data dir>/demo.json`. */
  stateFile: string
}

/**
 * Creates the demo project once (project, webhook to the mock, listener, config) and reuses it on
 * every later start. Only the webhook's URL is refreshed, since the mock's port may differ.
 */
export async function seedDemo({ relayUrl, adminToken, ordersUrl, stateFile }: SeedOptions): Promise<DemoProject> {
  const admin = adminClient(relayUrl, adminToken)
  const saved = readState(stateFile)
  if (saved && (await exists(() => admin('GET', `/v1/projects/${saved.projectId}`)))) {
    const { webhook } = await admin<{ webhook: { url: string } }>('GET', `/v1/projects/${saved.projectId}/webhooks/${saved.webhookId}`).catch(() => ({ webhook: null as never }))
    if (webhook && webhook.url !== ordersUrl) await admin('PATCH', `/v1/projects/${saved.projectId}/webhooks/${saved.webhookId}`, { url: ordersUrl })
    return saved
  }

  const created = await admin<{ project: { id: string }; keys: { test: string } }>('POST', '/v1/projects', { name: DEMO_PROJECT_NAME })
  const projectId = created.project.id
  await admin('PUT', `/v1/projects/${projectId}/config`, DEMO_CONFIG)
  const { webhook } = await admin<{ webhook: { id: string } }>('POST', `/v1/projects/${projectId}/webhooks`, {
    name: 'Mock fulfillment',
    url: ordersUrl,
    events: ['checkout-completed'],
    environment: 'test',
    timeoutMs: 5000,
    response: DEMO_RESPONSE_MAPPING,
  })
  const listener = await admin<{ listener: { id: string; url: string }; secret: string }>('POST', `/v1/projects/${projectId}/listeners`, DEMO_LISTENER)
  const project: DemoProject = {
    projectId,
    testKey: created.keys.test,
    webhookId: webhook.id,
    listenerId: listener.listener.id,
    listenerPath: listener.listener.url,
    listenerSecret: listener.secret,
  }
  mkdirSync(dirname(stateFile), { recursive: true })
  writeFileSync(stateFile, JSON.stringify(project, null, 2) + '\n', { mode: 0o600 })
  return project
}

function readState(file: string): DemoProject | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as DemoProject
  } catch {
    return null
  }
}

async function exists(get: () => Promise<unknown>): Promise<boolean> {
  try {
    await get()
    return true
  } catch (error) {
    if (error instanceof AdminError && error.status === 404) return false
    throw error
  }
}
