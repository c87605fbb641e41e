import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { requestFrom, type AddressedAnswer } from '../helpers/from-address.ts'
import { startTestRelay, type TestProject, type TestRelay } from '../helpers/relay.ts'
import { until } from '../helpers/until.ts'

// Issue 10's exhaustion finding, at the HTTP level: a publishable key is public, so one key (or one
// address) must not hold streams without bound. Over the cap the answer is a readable 429 with
// Retry-After, and the count comes back down as streams close. Real relay, real sockets, several
// loopback addresses.

let relay: TestRelay
let one: TestProject
let two: TestProject
const open: AddressedAnswer[] = []

beforeAll(async () => {
  relay = await startTestRelay({ streams: { perKey: 3, perAddress: 4 } })
  one = await relay.createProject()
  two = await relay.createProject()
})
afterAll(async () => {
  for (const stream of open) stream.close()
  await relay.close()
})

let sessions = 0
async function stream(key: string, address: string): Promise<AddressedAnswer> {
  const path = await relay.streamPath(key, `ses_caps${String(++sessions).padStart(8, '0')}`)
  const answer = await requestFrom(relay.url, path, address, { headers: { accept: 'text/event-stream' } })
  if (answer.status === 200) open.push(answer)
  return answer
}

describe('open streams are capped per publishable key and per address', () => {
  it('refuses the key its fourth stream with 429 JSON and Retry-After, from any address, until one closes', async () => {
    const streams = [
      await stream(one.keys.test, '127.0.0.11'),
      await stream(one.keys.test, '127.0.0.12'),
      await stream(one.keys.test, '127.0.0.13'),
    ]
    expect(streams.map((s) => s.status)).toEqual([200, 200, 200])

    const refused = await stream(one.keys.test, '127.0.0.14')
    expect(refused.status).toBe(429)
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1)
    expect(refused.body).toMatchObject({
      error: { code: 'too_many_streams', details: { limit: 'streams', per: 'key', max: 3 } },
    })
    // The key's other environment is another key: it has streams of its own.
    expect((await stream(one.keys.live, '127.0.0.14')).status).toBe(200)

    streams[0]!.close()
    const freed = await until(
      () => stream(one.keys.test, '127.0.0.14'),
      (answer) => answer.status === 200,
      3000,
    )
    expect(freed.status).toBe(200)
  })

  it('refuses an address its fifth stream whatever the key, and leaves other addresses alone', async () => {
    const address = '127.0.0.21'
    const mine = [
      await stream(two.keys.test, address),
      await stream(two.keys.test, address),
      await stream(two.keys.live, address),
      await stream(two.keys.live, address),
    ]
    expect(mine.map((s) => s.status)).toEqual([200, 200, 200, 200])
    const refused = await stream(one.keys.live, address)
    expect(refused.status).toBe(429)
    expect(refused.headers['retry-after']).toBeDefined()
    expect(refused.body).toMatchObject({ error: { code: 'too_many_streams', details: { per: 'address', max: 4 } } })
    expect((await stream(one.keys.live, '127.0.0.22')).status).toBe(200)
  })

  it('does not count refused streams: a wrong token leaves the count where it was', async () => {
    const address = '127.0.0.31'
    const project = await relay.createProject()
    for (let i = 0; i < 10; i++) {
      const res = await requestFrom(
        relay.url,
        `/v1/stream?session=ses_wrongtoken${i}0000&key=${project.keys.test}&token=hlst_wrong`,
        address,
      )
      expect(res.status).toBe(401)
    }
    const streams = [await stream(project.keys.test, address), await stream(project.keys.test, address)]
    expect(streams.map((s) => s.status)).toEqual([200, 200])
  })
})
