import type {
  ConfigAnswer,
  Delivery,
  DeliveryAnswer,
  DeliveryList,
  Erasure,
  EventLog,
  KeyRotate,
  KeyRotated,
  ListenerAnswer,
  ListenerCreate,
  ListenerCreated,
  ListenerList,
  ListenerPatch,
  ProjectAnswer,
  ProjectConfig,
  ProjectCreate,
  ProjectCreated,
  ProjectList,
  ProjectPatch,
  SecretRotated,
  Stats,
  StatsWindow,
  WebhookAnswer,
  WebhookCreate,
  WebhookCreated,
  WebhookList,
  WebhookPatch,
  WebhookReplay,
  WebhookReplayed,
  WebhookTest,
} from '@hookline/protocol'
import { transport, type ClientOptions, type Method, type Query } from './transport.ts'

const id = encodeURIComponent

/**
 * A client for the relay's admin API, grouped by resource. Methods under a project take the
 * project id first, then the resource's id, then the body, and resolve to the relay's JSON answer
 * as it is (`{ project, keys }`, `{ webhook, secret }`, …); a refusal rejects with `HooklineApiError`.
 * @example
 * const hookline = createClient({ baseUrl: 'http://127.0.0.1:8787', token: process.env.HOOKLINE_ADMIN_TOKEN })
 * const { project, keys } = await hookline.projects.create({ name: 'Shop' })
 * const { webhook, secret } = await hookline.webhooks.create(project.id, { name: 'CRM', url, events: ['*'] })
 */
export function createClient(options: ClientOptions) {
  const call = transport(options)
  const project = (pid: string) => `/v1/projects/${id(pid)}`
  const webhook = (pid: string, wid: string) => `${project(pid)}/webhooks/${id(wid)}`
  const delivery = (pid: string, wid: string, did: string) => `${webhook(pid, wid)}/deliveries/${id(did)}`
  const listener = (pid: string, lid: string) => `${project(pid)}/listeners/${id(lid)}`

  return {
    /**
     * Any relay route, with the same headers, timeouts, retries and errors: for what the methods
     * below do not cover (a signed inbound webhook, say). `path` starts with `/v1/`.
     */
    request: <T = unknown>(
      method: Method,
      path: string,
      options: { body?: unknown; query?: Query; headers?: Record<string, string> } = {},
    ) => call<T>(method, path, options.body, options.query, options.headers),
    projects: {
      create: (body: ProjectCreate) => call<ProjectCreated>('POST', '/v1/projects', body),
      list: () => call<ProjectList>('GET', '/v1/projects'),
      get: (pid: string) => call<ProjectAnswer>('GET', project(pid)),
      update: (pid: string, body: ProjectPatch) => call<ProjectAnswer>('PATCH', project(pid), body),
      delete: (pid: string) => call<undefined>('DELETE', project(pid)),
      /** A new publishable key (shown only in this answer); the old one works until `previousKeyExpiresAt`. */
      rotateKey: (pid: string, body: KeyRotate) => call<KeyRotated>('POST', `${project(pid)}/keys/rotate`, body),
    },
    webhooks: {
      create: (pid: string, body: WebhookCreate) => call<WebhookCreated>('POST', `${project(pid)}/webhooks`, body),
      list: (pid: string) => call<WebhookList>('GET', `${project(pid)}/webhooks`),
      get: (pid: string, wid: string) => call<WebhookAnswer>('GET', webhook(pid, wid)),
      update: (pid: string, wid: string, body: WebhookPatch) => call<WebhookAnswer>('PATCH', webhook(pid, wid), body),
      delete: (pid: string, wid: string) => call<undefined>('DELETE', webhook(pid, wid)),
      rotateSecret: (pid: string, wid: string) => call<SecretRotated>('POST', `${webhook(pid, wid)}/rotate-secret`),
      /** Sends a sample event rendered with the webhook's template (`{ plain: true }`: the fixed `webhook.test` body). */
      test: (pid: string, wid: string, body?: WebhookTest) =>
        call<DeliveryAnswer>('POST', `${webhook(pid, wid)}/test`, body),
      /** Holds new deliveries, with no recovery probe, until `resume`. */
      pause: (pid: string, wid: string) => call<WebhookAnswer>('POST', `${webhook(pid, wid)}/pause`),
      resume: (pid: string, wid: string) => call<WebhookAnswer>('POST', `${webhook(pid, wid)}/resume`),
      /** Queues the project's past events for this webhook again, in event order. */
      replay: (pid: string, wid: string, body: WebhookReplay) =>
        call<WebhookReplayed>('POST', `${webhook(pid, wid)}/replay`, body),
    },
    deliveries: {
      list: (pid: string, wid: string, query: { status?: Delivery['status']; limit?: number; cursor?: string } = {}) =>
        call<DeliveryList>('GET', `${webhook(pid, wid)}/deliveries`, undefined, query),
      get: (pid: string, wid: string, did: string) => call<DeliveryAnswer>('GET', delivery(pid, wid, did)),
      redeliver: (pid: string, wid: string, did: string) =>
        call<DeliveryAnswer>('POST', `${delivery(pid, wid, did)}/redeliver`),
    },
    listeners: {
      create: (pid: string, body: ListenerCreate) => call<ListenerCreated>('POST', `${project(pid)}/listeners`, body),
      list: (pid: string) => call<ListenerList>('GET', `${project(pid)}/listeners`),
      get: (pid: string, lid: string) => call<ListenerAnswer>('GET', listener(pid, lid)),
      update: (pid: string, lid: string, body: ListenerPatch) =>
        call<ListenerAnswer>('PATCH', listener(pid, lid), body),
      delete: (pid: string, lid: string) => call<undefined>('DELETE', listener(pid, lid)),
    },
    config: {
      get: (pid: string) => call<ConfigAnswer>('GET', `${project(pid)}/config`),
      put: (pid: string, config: ProjectConfig) => call<ConfigAnswer>('PUT', `${project(pid)}/config`, config),
    },
    events: {
      list: (pid: string, query: { limit?: number; cursor?: string } = {}) =>
        call<EventLog>('GET', `${project(pid)}/events`, undefined, query),
    },
    /** Erases what the relay keeps of one session or one user, and cancels their pending deliveries. */
    erasure: {
      session: (pid: string, sid: string) => call<Erasure>('DELETE', `${project(pid)}/sessions/${id(sid)}`),
      user: (pid: string, uid: string) => call<Erasure>('DELETE', `${project(pid)}/users/${id(uid)}`),
    },
    stats: {
      get: (pid: string, query: { window?: StatsWindow } = {}) =>
        call<Stats>('GET', `${project(pid)}/stats`, undefined, query),
    },
  }
}

/** What `createClient` returns. */
export type HooklineClient = ReturnType<typeof createClient>
