import { spawnSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestRelay, type InProcessRelay } from '../testing.ts'

let relay: InProcessRelay
beforeAll(async () => {
  relay = await createTestRelay()
})
afterAll(() => relay.close())

const promtool = spawnSync('promtool', ['--version']).status === 0

describe('/metrics', () => {
  it('names no gauge like a counter', async () => {
    const text = (await relay.request('/metrics')).body as string
    expect(text).toMatch(/^# TYPE hookline_nodejs_active_handles gauge$/m)
    const gauges = [...text.matchAll(/^# TYPE (\S+) gauge$/gm)].map(([, name]) => name)
    expect(gauges.filter((name) => name?.endsWith('_total'))).toEqual([])
  })

  // promtool comes with Debian's prometheus package; .ci/run installs it.
  it.runIf(promtool)('passes promtool check metrics', async () => {
    const text = (await relay.request('/metrics')).body as string
    const checked = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' })
    expect(checked.stdout + checked.stderr).toBe('')
    expect(checked.status).toBe(0)
  })
})
