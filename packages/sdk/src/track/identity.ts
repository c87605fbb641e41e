import type { Warn } from '../log.ts'
import { LIMITS, type Identity, type JsonObject } from '@hookline/protocol'

const MAX_PROPS = LIMITS.identityProps

/** What `identify()` takes for the user or the company; plain JS may pass anything. */
export type IdentityInput = { id?: string | number | null; props?: JsonObject | null } | null | undefined

/**
 * The user or company of `identify()` as events carry it: the id as text and at most 10 props
 * (extra ones dropped with a warning); none, with a warning, without an id.
 */
export function normalizeIdentity(value: IdentityInput, which: 'user' | 'company', warn: Warn): Identity | undefined {
  if (!value?.id) {
    if (value) warn('HL12', which)
    return undefined
  }
  const id = String(value.id)
  if (!value.props) return { id }
  const props = Object.entries(value.props)
  if (props.length > MAX_PROPS) warn('HL13', which, MAX_PROPS)
  return { id, props: Object.fromEntries(props.slice(0, MAX_PROPS)) }
}
