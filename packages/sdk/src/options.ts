import { LIMITS, type JsonObject } from '@hookline/protocol'
import { HooklineOptionsError } from './errors.ts'
import type { Describe } from './message-code.ts'
import type { MessageCode } from './messages.ts'

/** Options of `createHookline`. Only `relay` and `key` are required. */
export interface HooklineOptions {
  /**
   * The relay's base URL.
   * @example 'http://127.0.0.1:8787'
   */
  relay: string
  /**
   * The project's publishable key: `pk_test_…` reaches test webhooks only, `pk_live_…` live ones.
   * @example 'pk_test_3kq…'
   */
  key: string
  /**
   * Initial values of the prototype's variables (the project config's defaults fill the rest).
   * @default {}
   * @example { plan: 'free', cartCount: 0 }
   */
  variables?: JsonObject
  /**
   * Wire the HTML attributes (`data-hl-event`, `data-hl-props`, `data-hl-screen`, `data-hl-set`,
   * `data-hl-bind`) in `root`.
   * @default true
   * @example createHookline({ relay, key, attributes: false }) // wire only what hl.on() says
   */
  attributes?: boolean
  /**
   * Load the project config (`GET /v1/config`): variable defaults, and events wired from the dashboard.
   * @default true
   * @example createHookline({ relay, key, config: false }) // ignore the dashboard's wiring
   */
  config?: boolean
  /**
   * Open the live stream (`GET /v1/stream`) for `vars`, `delivery` and `ack` frames.
   * @default true
   * @example createHookline({ relay, key, stream: false }) // events out only
   */
  stream?: boolean
  /**
   * Where triggers and attributes listen.
   * @default document
   * @example createHookline({ relay, key, root: iframe.contentDocument! })
   */
  root?: Document
  /**
   * The most events in one request (at most 100).
   * @default 100
   * @example createHookline({ relay, key, batchEvents: 20 })
   */
  batchEvents?: number
  /**
   * The most bytes in one request (at most 65536).
   * @default 65536
   * @example createHookline({ relay, key, batchBytes: 16_384 })
   */
  batchBytes?: number
  /**
   * The queue's byte budget; beyond it the oldest events are evicted (counted and logged).
   * @default 5_000_000
   * @example createHookline({ relay, key, budgetBytes: 1_000_000 })
   */
  budgetBytes?: number
  /**
   * `'memory'` keeps the queue in memory only (events are lost on reload). Used when IndexedDB is unavailable.
   * @default 'indexeddb'
   * @example createHookline({ relay, key, storage: 'memory' }) // a kiosk that must not persist
   */
  storage?: 'indexeddb' | 'memory'
  /**
   * How many entries `hl.log` keeps.
   * @default 200
   * @example createHookline({ relay, key, logLimit: 1000 })
   */
  logLimit?: number
  /**
   * Also print warnings to the console (each once).
   * @default false
   * @example createHookline({ relay, key, debug: import.meta.env.DEV })
   */
  debug?: boolean
}

export type NormalizedOptions = Required<Omit<HooklineOptions, 'root'>> & { root: Document | undefined }

const defaults = {
  variables: {},
  attributes: true,
  config: true,
  stream: true,
  batchEvents: LIMITS.sdkBatchEvents,
  batchBytes: LIMITS.sdkBatchBytes,
  budgetBytes: 5_000_000,
  storage: 'indexeddb',
  logLimit: 200,
  debug: false,
} satisfies Omit<NormalizedOptions, 'relay' | 'key' | 'root'>

/** The allowed range of each numeric option. */
const RANGES: Partial<Record<string, readonly [number, number]>> = {
  batchEvents: [1, LIMITS.sdkBatchEvents],
  batchBytes: [1024, LIMITS.sdkBatchBytes],
  budgetBytes: [10_000, 1e9],
  logLimit: [0, 100_000],
}

/**
 * Validates and normalises options once, with defaults; throws `HooklineOptionsError` naming the
 * bad one, its message made by `describe`. Takes `unknown`: plain JS callers may pass anything.
 */
export function normalizeOptions(options: unknown, describe: Describe): NormalizedOptions {
  /** Throws for option `name`: `code` says what it must be, and it was `value`. */
  const fail: (name: string, code: MessageCode, value: unknown, ...args: number[]) => never = (
    name,
    code,
    value,
    ...args
  ) => {
    throw new HooklineOptionsError(name, describe(code, [show(value), ...args]))
  }
  if (!options || typeof options !== 'object') throw new HooklineOptionsError('options', describe('HL30', []))
  const given = options as Record<string, unknown>
  const { relay, key } = given
  if (typeof relay !== 'string' || !/^https?:\/\/[^/]/.test(relay)) fail('relay', 'HL31', relay)
  if (typeof key !== 'string' || !/^pk_(test|live)_\S+$/.test(key)) fail('key', 'HL32', key)
  const o = {
    relay: relay.replace(/\/+$/, ''),
    key,
    root: (given.root as Document | undefined) ?? globalThis.document,
  } as NormalizedOptions
  const out = o as unknown as Record<string, unknown>
  for (const name in defaults) {
    const fallback = defaults[name as keyof typeof defaults]
    const value = (out[name] = given[name] ?? fallback)
    const range = RANGES[name]
    const bad = range
      ? !Number.isInteger(value) || (value as number) < range[0] || (value as number) > range[1]
      : typeof value !== typeof fallback ||
        (name === 'variables' && Array.isArray(value)) ||
        (name === 'storage' && value !== 'memory' && value !== 'indexeddb')
    if (bad)
      fail(
        name,
        range ? 'HL33' : name === 'storage' ? 'HL34' : name === 'variables' ? 'HL35' : 'HL36',
        value,
        ...(range ?? []),
      )
  }
  return o
}

/** A value as a bad option's message shows it: JSON, cut to 60 characters (text when it has none, or a cycle). */
function show(value: unknown): string {
  try {
    return JSON.stringify(value).slice(0, 60)
  } catch {
    return String(value).slice(0, 60)
  }
}
