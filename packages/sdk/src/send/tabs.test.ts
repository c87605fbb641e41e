import { afterEach, describe, expect, it } from 'vitest'
import { openTabs, type TabMessage, type Tabs } from './tabs.ts'

const open: Tabs[] = []
afterEach(() => {
  for (const tabs of open.splice(0)) tabs.close()
})

/** Two tabs on one channel, each recording what reaches its listener. */
function twoTabs() {
  const name = `tabs-${Math.random()}`
  const heard = { a: [] as Array<[TabMessage, boolean]>, b: [] as Array<[TabMessage, boolean]> }
  const a = openTabs(name)
  const b = openTabs(name)
  open.push(a, b)
  a.listen((message, local) => heard.a.push([message, local]))
  b.listen((message, local) => heard.b.push([message, local]))
  return { a, b, heard }
}
const settle = () => new Promise((resolve) => setTimeout(resolve, 20))

describe('tabs', () => {
  it('post reaches the other tabs, not this one', async () => {
    const { a, heard } = twoTabs()
    a.post({ t: 'acked', ids: ['evt_1'], deliveries: { evt_1: 2 } })
    await settle()
    expect(heard.b).toEqual([[{ t: 'acked', ids: ['evt_1'], deliveries: { evt_1: 2 } }, false]])
    expect(heard.a).toEqual([])
  })

  it('toSender stays in this tab when it is the sending tab, else goes to the others', async () => {
    const { a, b, heard } = twoTabs()
    const stored: TabMessage = { t: 'stored', chunks: [['evt_1', [['evt_1', '{}']]]] }
    a.sending = true
    a.toSender(stored)
    expect(heard.a).toEqual([[stored, true]]) // at once, not a task later
    b.toSender(stored)
    await settle()
    expect(heard.a).toEqual([
      [stored, true],
      [stored, false],
    ])
    expect(heard.b).toEqual([]) // a's own toSender did not leave a
  })
})
