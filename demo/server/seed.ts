import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { AdminError, adminClient, type Admin } from './admin-client.ts'
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
 * Creates the demo project once (project, config, webhook to the mock, listener) and reuses it on
 * every later start. A webhook or listener deleted from the dashboard is made again; the config,
 * once seeded, is the designer's and is left alone. The webhook's URL follows the mock's port.
 */
export async function seedDemo({ relayUrl, adminToken, ordersUrl, stateFile }: SeedOptions): Promise<DemoProject> {
  const admin = adminClient(relayUrl, adminToken)
  const saved = readState(stateFile)
  const reused = saved && (await found(() => admin('GET', `/v1/projects/${saved.projectId}`)))
  const project = reused ? saved : await createProject(admin)

  const base = `/v1/projects/${project.projectId}`
  const webhook = reused
    ? await found(() => admin<{ webhook: { url: string } }>('GET', `${base}/webhooks/${project.webhookId}`))
    : null
  if (!webhook) project.webhookId = await createWebhook(admin, base, ordersUrl)
  else if (webhook.webhook.url !== ordersUrl)
    await admin('PATCH', `${base}/webhooks/${project.webhookId}`, { url: ordersUrl })

  const listenerFound = reused && (await found(() => admin('GET', `${base}/listeners/${project.listenerId}`)))
  if (!listenerFound) {
    const listener = await admin<{ listener: { id: string; url: string }; secret: string }>(
      'POST',
      `${base}/listeners`,
      DEMO_LISTENER,
    )
    Object.assign(project, {
      listenerId: listener.listener.id,
      listenerPath: listener.listener.url,
      listenerSecret: listener.secret,
    })
  }

  mkdirSync(dirname(stateFile), { recursive: true })
  writeFileSync(stateFile, JSON.stringify(project, null, 2) + '\n', { mode: 0o600 })
  return project
}

async function createProject(admin: Admin): Promise<DemoProject> {
  const created = await admin<{ project: { id: string }; keys: { test: string } }>('POST', '/v1/projects', {
    name: DEMO_PROJECT_NAME,
  })
  await admin('PUT', `/v1/projects/${created.project.id}/config`, DEMO_CONFIG)
  return {
    projectId: created.project.id,
    testKey: created.keys.test,
    webhookId: '',
    listenerId: '',
    listenerPath: '',
    listenerSecret: '',
  }
}

async function createWebhook(admin: Admin, base: string, ordersUrl: string): Promise<string> {
  const { webhook } = await admin<{ webhook: { id: string } }>('POST', `${base}/webhooks`, {
    name: 'Mock fulfillment',
    url: ordersUrl,
    events: ['checkout-completed'],
    environment: 'test',
    timeoutMs: 5000,
    response: DEMO_RESPONSE_MAPPING,
  })
  return webhook.id
}

function readState(file: string): DemoProject | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as DemoProject
  } catch {
    return null
  }
}

/** The answer, or null on 404; other failures are thrown. */
async function found<T>(get: () => Promise<T>): Promise<T | null> {
  try {
    return await get()
  } catch (error) {
    if (error instanceof AdminError && error.status === 404) return null
    throw error
  }
}
