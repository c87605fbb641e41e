/**
 * @module
 * React bindings: `useVar(hl, 'orderStatus')` re-renders when that variable changes.
 * Import from `@hookline/sdk/react` (needs `react` and `@nanostores/react`).
 */
import type { Json } from '@hookline/protocol'
import { useStore } from '@nanostores/react'
import type { Hookline } from './types.ts'

/**
 * The current value of a prototype variable; the component re-renders when it changes (only it).
 * @example const status = useVar(hl, 'orderStatus') // 'pending' → 'shipped' as the stream updates it
 */
export function useVar(hl: Pick<Hookline, 'vars'>, name: string): Json | undefined {
  return useStore(hl.vars, { keys: [name] })[name]
}
