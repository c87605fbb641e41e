import type { Json } from '@hookline/protocol'
import { map } from 'nanostores'
import { act, createElement } from 'react'
import { createRoot } from 'react-dom/client'
import { describe, expect, it } from 'vitest'
import { useVar } from './react.ts'

// React's act() warns unless the environment says it is a test.
;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true

describe('useVar (React)', () => {
  it('renders a variable and re-renders when it changes, not when another one does', async () => {
    const hl = { vars: map<Record<string, Json>>({ orderStatus: 'none', other: 1 }) }
    let renders = 0
    function Status() {
      renders++
      return createElement('span', null, useVar(hl, 'orderStatus') as string)
    }
    const element = document.createElement('div')
    const root = createRoot(element)
    await act(async () => {
      root.render(createElement(Status))
      await Promise.resolve()
    })
    expect(element.textContent).toBe('none')
    const change = (name: string, value: Json) =>
      act(async () => {
        hl.vars.setKey(name, value)
        await new Promise((resolve) => setTimeout(resolve, 5))
      })
    await change('orderStatus', 'shipped')
    expect(element.textContent).toBe('shipped')
    const before = renders
    await change('other', 2)
    expect(renders).toBe(before)
    await act(async () => {
      root.unmount()
      await Promise.resolve()
    })
  })
})
