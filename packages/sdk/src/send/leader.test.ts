import { messageText } from '../messages.ts'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { electLeader } from './leader.ts'

/** A minimal in-page Web Locks: one holder per name, waiters served in order, abortable while waiting. */
function fakeLocks() {
  const held = new Map<string, Array<() => void>>()
  return {
    request(name: string, options: { signal?: AbortSignal }, callback: () => Promise<void> | undefined) {
      return new Promise<void>((resolve, reject) => {
        const run = () => {
          void Promise.resolve(callback()).finally(() => {
            const queue = held.get(name)!
            queue.shift()
            queue[0]?.()
            if (!queue.length) held.delete(name)
            resolve()
          })
        }
        const queue = held.get(name) ?? []
        held.set(name, queue)
        queue.push(run)
        options.signal?.addEventListener('abort', () => {
          const at = queue.indexOf(run)
          if (at > 0) {
            queue.splice(at, 1)
            reject(new DOMException('aborted', 'AbortError'))
          }
        })
        if (queue.length === 1) run()
      })
    },
  }
}

afterEach(() => vi.unstubAllGlobals())
const tick = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('electLeader', () => {
  it('makes one tab the sender; the next takes over when it releases', async () => {
    vi.stubGlobal('navigator', { locks: fakeLocks() })
    const states: string[] = []
    const releaseA = electLeader(
      'q',
      (leader) => states.push(`a:${leader}`),
      () => {},
    )
    const releaseB = electLeader(
      'q',
      (leader) => states.push(`b:${leader}`),
      () => {},
    )
    await tick()
    expect(states).toEqual(['a:true'])
    releaseA()
    await tick()
    expect(states).toEqual(['a:true', 'a:false', 'b:true'])
    releaseB()
  })

  it('stops waiting when released before it got the lock', async () => {
    vi.stubGlobal('navigator', { locks: fakeLocks() })
    const states: string[] = []
    const releaseA = electLeader(
      'q',
      (leader) => states.push(`a:${leader}`),
      () => {},
    )
    const releaseB = electLeader(
      'q',
      (leader) => states.push(`b:${leader}`),
      () => {},
    )
    releaseB()
    releaseA()
    await tick()
    expect(states).toEqual(['a:true', 'a:false'])
  })

  it('without Web Locks every tab sends, and says so', () => {
    vi.stubGlobal('navigator', {})
    const states: boolean[] = []
    const reasons: string[] = []
    electLeader(
      'q',
      (leader) => states.push(leader),
      (code, ...args) => reasons.push(messageText(code, args)),
    )
    expect(states).toEqual([true])
    expect(reasons[0]).toMatch(/No Web Locks/)
  })
})
