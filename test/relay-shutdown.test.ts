import { describe, expect, it, vi } from 'vitest'
import { Hub, noFrames } from '@hookline/relay'
import { startTestRelay } from './helpers/relay.ts'
import { openStream } from './helpers/stream-reader.ts'

describe('relay close()', () => {
  it('stops accepting, ends the streams and the hub, stops the dispatcher, and closes storage last', async () => {
    const relay = await startTestRelay()
    const project = await relay.createProject()
    const streams = await Promise.all(
      ['ses_shut1', 'ses_shut2'].map(async (s) => openStream(relay.url, await relay.streamPath(project.keys.test, s))),
    )
    for (const stream of streams) expect(stream.status).toBe(200)

    const { context } = relay
    expect(context.frames).toBeInstanceOf(Hub)
    const order: string[] = []
    const spy = (target: any, method: string, name: string) => {
      const original = target[method].bind(target)
      target[method] = async (...args: unknown[]) => {
        order.push(`${name} start`)
        await original(...args)
        order.push(`${name} end`)
      }
    }
    spy(context.frames, 'close', 'hub')
    spy(context.dispatcher, 'stop', 'dispatcher')
    spy(context.storage, 'close', 'storage')

    const started = performance.now()
    await relay.close()
    // The streams ended with the hub, not by the 100 ms cut-off that catches stragglers.
    await Promise.all(streams.map((stream) => stream.ended))
    expect(performance.now() - started).toBeLessThan(2000)
    expect(order).toEqual([
      'hub start',
      'hub end',
      'dispatcher start',
      'dispatcher end',
      'storage start',
      'storage end',
    ])
    await expect(fetch(`${relay.url}/healthz`)).rejects.toThrow()
  })

  it('closes only once however often it is called, and leaves a sink it was given alone', async () => {
    const relay = await startTestRelay({ frames: noFrames })
    const closeStorage = vi.spyOn(relay.context.storage, 'close')
    await Promise.all([relay.close(), relay.close()])
    expect(closeStorage).toHaveBeenCalledTimes(1)
  })
})
