import { render } from 'preact'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { demoConfig } from '../demo-config.ts'
import type { Delivery, Webhook } from '@hookline/protocol'
import { WebhookDetail } from './webhook-detail.tsx'

const now = new Date().toISOString()
const webhook: Webhook = {
  id: 'wh_1',
  projectId: 'prj_1',
  name: 'CRM',
  url: 'https://crm.example/hooks',
  events: ['checkout-completed'],
  environment: 'test',
  status: 'paused',
  statusReason: '10 consecutive failures',
  response: null,
  template: null,
  timeoutMs: 10_000,
  retry: { maxAttempts: 4, scheduleMs: null },
  enabled: true,
  consecutiveFailures: 10,
  filter: null,
  autoResume: true,
  ordering: 'none',
  pausedBy: 'failures',
  nextProbeAt: null,
  secretRotating: false,
  createdAt: now,
  updatedAt: now,
}
const delivery: Delivery = {
  id: 'dlv_1',
  webhookId: 'wh_1',
  eventId: 'evt_1',
  messageId: 'msg_1',
  sessionId: 'ses_1',
  nextAttemptAt: null,
  finishedAt: null,
  kind: 'event',
  status: 'held',
  outOfOrder: false,
  attemptCount: 0,
  lastStatus: null,
  lastError: null,
  latencyMs: null,
  createdAt: now,
}

let calls: Array<{ method: string; url: string }>
let patches: unknown[]
let container: HTMLElement
// The client's calls chain a few promises each; give the page's loads time to land.
const settle = () => new Promise((resolve) => setTimeout(resolve, 250))

beforeEach(() => {
  calls = []
  patches = []
  demoConfig.set({
    relayUrl: 'http://relay.test',
    projectId: 'prj_1',
    testKey: 'pk_test_1',
    listener: { id: 'lst_1' },
    mockUrl: 'http://mock.test/orders',
  })
  // The dashboard's client (ky) fetches with a Request.
  vi.stubGlobal('fetch', (input: Request | string, init?: RequestInit) => {
    const request = new Request(input, init)
    const { method } = request
    const { pathname, search } = new URL(request.url)
    const url = pathname + search
    calls.push({ method, url })
    const path = url.replace('/api/v1/projects/prj_1', '')
    const body =
      path === '/webhooks/wh_1'
        ? { webhook }
        : path.startsWith('/webhooks/wh_1/deliveries')
          ? { deliveries: [delivery] }
          : path.startsWith('/events')
            ? { events: [{ id: 'evt_1', name: 'checkout-completed' }] }
            : path === '/webhooks/wh_1/resume'
              ? { webhook: { ...webhook, status: 'active' } }
              : {}
    if (path === '/webhooks/wh_1/resume') webhook.status = 'active'
    if (path === '/webhooks/wh_1' && method === 'PATCH')
      Object.assign(webhook, { status: 'active', statusReason: null })
    const answer = () =>
      new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } })
    if (method !== 'PATCH') return Promise.resolve(answer())
    return request.json().then((patch: Partial<Webhook>) => {
      patches.push(patch)
      Object.assign(webhook, patch)
      return answer()
    })
  })
  container = document.createElement('div')
  document.body.append(container)
})

afterEach(() => {
  render(null, container)
  container.remove()
  vi.unstubAllGlobals()
})

const buttonNamed = (name: string) =>
  [...container.querySelectorAll('button')].find((button) => button.textContent === name)!
const field = (label: string) => {
  const labelled = [...container.querySelectorAll('label')].find((element) => element.textContent === label)
  return container.querySelector<HTMLInputElement>(`#${labelled?.htmlFor ?? 'none'}`)!
}
const type = (input: HTMLInputElement, text: string) => {
  input.value = text
  input.dispatchEvent(new Event('input', { bubbles: true }))
}

describe('WebhookDetail', () => {
  it('shows a paused webhook with its held deliveries, and resumes it', async () => {
    render(<WebhookDetail id="wh_1" onSecretSeen={() => {}} />, container)
    // The page loads in steps (the webhook, then its log and the event names): wait for the last.
    await vi.waitFor(() => expect(container.querySelector('.delivery')?.textContent).toContain('held'))
    expect(container.querySelector('.badge.warn')?.textContent).toBe('paused')
    expect(container.textContent).toContain('Nothing is dropped')
    expect(container.querySelector('.delivery')?.textContent).toContain('checkout-completed')
    expect(container.querySelector('.delivery')?.textContent).toContain('held')

    const resume = [...container.querySelectorAll('button')].find((button) => button.textContent === 'Resume')!
    resume.click()
    await vi.waitFor(() => expect(container.querySelector('.badge.good')?.textContent).toBe('active'))
    expect(calls).toContainEqual({ method: 'POST', url: '/api/v1/projects/prj_1/webhooks/wh_1/resume' })
    expect(container.textContent).not.toContain('Nothing is dropped')
  })

  it('shows a webhook turned off by a 410 in words, and turns it on', async () => {
    Object.assign(webhook, { status: 'disabled', statusReason: 'The endpoint answered 410 Gone.', pausedBy: null })
    render(<WebhookDetail id="wh_1" onSecretSeen={() => {}} />, container)
    await vi.waitFor(() => expect(container.textContent).toContain('Turned off.'))
    expect(container.textContent).toContain('The endpoint answered 410 Gone.')
    expect(container.querySelector('h1 .badge')?.textContent).toBe('turned off')
    ;[...container.querySelectorAll('button')].find((button) => button.textContent === 'Turn on')!.click()
    await vi.waitFor(() => expect(container.querySelector('h1 .badge')?.textContent).toBe('active'))
    expect(calls).toContainEqual({ method: 'PATCH', url: '/api/v1/projects/prj_1/webhooks/wh_1' })
    expect(container.textContent).not.toContain('Turned off.')
  })

  it('shows a fresh secret once, until it is dismissed', async () => {
    const seen = vi.fn()
    webhook.status = 'active'
    render(<WebhookDetail id="wh_1" freshSecret="whsec_abc" onSecretSeen={seen} />, container)
    await settle()
    expect(container.querySelector('.secret-value')?.textContent).toBe('whsec_abc')
    ;[...container.querySelectorAll('button')].find((button) => button.textContent === 'I have copied it')!.click()
    await settle()
    expect(container.querySelector('.secret-value')).toBeNull()
    expect(seen).toHaveBeenCalledOnce()
  })

  it('edits the timeout and retries in words, refuses what the relay would, and saves only those', async () => {
    Object.assign(webhook, { status: 'active', statusReason: null, pausedBy: null })
    render(<WebhookDetail id="wh_1" onSecretSeen={() => {}} />, container)
    await vi.waitFor(() =>
      expect(container.textContent).toContain('Tries again after 1 s, 5 s and 25 s (4 tries in all)'),
    )
    expect(container.textContent).toContain('Waits for an answer10 s')
    buttonNamed('Edit').click()
    await vi.waitFor(() => expect(field('Wait for an answer').value).toBe('10'))
    expect(field('Tries in all').value).toBe('4')
    expect(field('Wait before each new try').value).toBe('1 s, 5 s, 25 s')

    // Too long a timeout: said beside the field and above the buttons on Save; nothing is sent.
    type(field('Wait for an answer'), '45')
    await settle()
    expect(container.querySelector('.field-error')).toBeNull()
    buttonNamed('Save settings').click()
    await vi.waitFor(() =>
      expect(container.querySelector('.field-error')?.textContent).toBe(
        'Wait at most 30 seconds for an answer: 45 is longer.',
      ),
    )
    expect(field('Wait for an answer').getAttribute('aria-invalid')).toBe('true')
    await vi.waitFor(() => expect(container.querySelector('.notice.bad')?.textContent).toContain('45 is longer'))
    expect(patches).toEqual([])

    type(field('Wait for an answer'), '20')
    type(field('Tries in all'), '2')
    type(field('Wait before each new try'), '1.5 s')
    await vi.waitFor(() => expect(container.textContent).toContain('Tries again after 1.5 s (2 tries in all)'))
    buttonNamed('Save settings').click()
    await vi.waitFor(() => expect(patches).toHaveLength(1))
    expect(patches[0]).toMatchObject({ timeoutMs: 20_000, retry: { maxAttempts: 2, scheduleMs: [1500] } })
    expect(patches[0]).not.toHaveProperty('autoResume')
    await vi.waitFor(() => expect(container.textContent).toContain('Tries again after 1.5 s (2 tries in all)'))
    expect(container.textContent).toContain('Waits for an answer20 s')
  })
})
