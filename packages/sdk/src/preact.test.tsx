import type { Json } from '@hookline/protocol'
import { map } from 'nanostores'
import { render } from 'preact'
import { act } from 'preact/test-utils'
import { describe, expect, it } from 'vitest'
import { useVar } from './preact.ts'

describe('useVar', () => {
  it('renders a variable and re-renders when it changes, not when another one does', async () => {
    const hl = { vars: map<Record<string, Json>>({ orderStatus: 'none', other: 1 }) }
    let renders = 0
    function Status() {
      renders++
      return <span>{useVar(hl, 'orderStatus') as string}</span>
    }
    const root = document.createElement('div')
    void act(() => render(<Status />, root))
    expect(root.textContent).toBe('none')
    // @nanostores/preact batches re-renders with a timer.
    const change = (name: string, value: Json) =>
      act(async () => {
        hl.vars.setKey(name, value)
        await new Promise((resolve) => setTimeout(resolve, 5))
      })
    await change('orderStatus', 'shipped')
    expect(root.textContent).toBe('shipped')
    const before = renders
    await change('other', 2)
    expect(renders).toBe(before)
    void act(() => render(null, root))
  })
})
