import { messageText } from '../messages.ts'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createSessionTokens } from './tokens.ts'

let relayCount = 0

/** A relay that claims every session once (201 with a token), and 409 for an id claimed before. */
function fakeRelay() {
  const claimed = new Set<string>()
  const requests: string[] = []
  vi.stubGlobal('fetch', (_url: string, init: RequestInit) => {
    const { id } = JSON.parse(init.body as string) as { id: string }
    requests.push(id)
    if (claimed.has(id)) return Promise.resolve(new Response('{}', { status: 409 }))
    claimed.add(id)
    return Promise.resolve(Response.json({ id, token: `hlst_${id}` }, { status: 201 }))
  })
  return { requests }
}
afterEach(() => vi.unstubAllGlobals())

describe('session tokens', () => {
  it('claims a session once, shares its token through localStorage, and keeps only the 50 newest', async () => {
    const { requests } = fakeRelay()
    const relay = `http://relay-${++relayCount}.test`
    const tokens = createSessionTokens(relay, 'pk_test_a', () => {})
    const ids = Array.from({ length: 55 }, (_, i) => `ses_${String(i).padStart(2, '0')}`)
    for (const id of ids) expect(await tokens.claim(id)).toEqual({ token: `hlst_${id}` })
    expect(await tokens.claim(ids[54]!)).toEqual({ token: `hlst_${ids[54]}` }) // known: no second request
    expect(requests).toEqual(ids)
    // Another tab (a fresh instance) finds the tokens; the 5 oldest were dropped.
    const other = createSessionTokens(relay, 'pk_test_a', () => {})
    const known = other.known(ids)
    expect(Object.keys(known)).toEqual(ids.slice(5))
    expect(known[ids[5]!]).toBe(`hlst_${ids[5]}`)
    // What is stored holds exactly those 50.
    const stored = JSON.parse(localStorage.getItem(`hookline:sessions ${relay} pk_test_a`) ?? '{}') as object
    expect(Object.keys(stored)).toHaveLength(50)
  })

  it('answers "taken" for a session claimed elsewhere, and "failed" with a warning when the relay is down', async () => {
    fakeRelay()
    const relay = `http://relay-${++relayCount}.test`
    const warnings: string[] = []
    const first = createSessionTokens(relay, 'pk_test_a', () => {})
    await first.claim('ses_x')
    localStorage.removeItem(`hookline:sessions ${relay} pk_test_a`)
    const second = createSessionTokens(relay, 'pk_test_a', (code, ...args) => warnings.push(messageText(code, args)))
    expect(await second.claim('ses_x')).toBe('taken')
    vi.stubGlobal('fetch', () => Promise.reject(new TypeError('Failed to fetch')))
    expect(await second.claim('ses_y')).toBe('failed')
    expect(warnings).toEqual(['Session not claimed yet (relay unreachable: Failed to fetch)'])
  })
})
