/**
 * @module
 * Preact bindings: `useVar(hl, 'orderStatus')` re-renders when that variable changes.
 * Import from `@hookline/sdk/preact` (needs `preact` and `@nanostores/preact`).
 */
import type { Json } from '@hookline/protocol'
import { useStore } from '@nanostores/preact'
import type { Hookline } from './types.ts'

/**
 * The current value of a prototype variable; the component re-renders when it changes (only it).
 * @example const status = useVar(hl, 'orderStatus') // 'pending' → 'shipped' as the stream updates it
 */
export function useVar(hl: Pick<Hookline, 'vars'>, name: string): Json | undefined {
  return useStore(hl.vars, { keys: [name] })[name]
}
