import { WEBHOOK_RETRY, WEBHOOK_TIMEOUT_MS, type Webhook } from '@hookline/protocol'

// A webhook's timeout and retries as a designer types them (seconds, a count, waits like "5 min"),
// checked against the protocol's limits with sentences that say what to write instead.

/** What the three fields hold, as typed. */
export interface DeliveryText {
  /** Seconds to wait for an answer, e.g. "10". */
  timeout: string
  /** Tries in all, the first included, e.g. "4". */
  attempts: string
  /** Waits before each new try, e.g. "1 s, 5 s, 25 s". */
  waits: string
}

/** The API's fields; `scheduleMs` null means the relay's default waits. */
export interface DeliverySettings {
  timeoutMs: number
  retry: { maxAttempts: number; scheduleMs: number[] | null }
}

export type DeliveryCheck =
  { ok: true; settings: DeliverySettings } | { ok: false; errors: Partial<Record<keyof DeliveryText, string>> }

const UNITS: Record<string, number> = { ms: 1, s: 1000, min: 60_000, h: 3_600_000 }
const UNIT_WORDS: Record<string, string> = {
  ms: 'ms',
  s: 's',
  sec: 's',
  secs: 's',
  second: 's',
  seconds: 's',
  m: 'min',
  min: 'min',
  mins: 'min',
  minute: 'min',
  minutes: 'min',
  h: 'h',
  hr: 'h',
  hrs: 'h',
  hour: 'h',
  hours: 'h',
}

const MAX_TRIES = WEBHOOK_RETRY.maxAttempts.max
const MAX_WAIT_HOURS = WEBHOOK_RETRY.waitMs.max / 3_600_000

/** "1 s", "5 min", "2 h", "1.5 s": the shortest way to say a wait. */
export function waitText(ms: number): string {
  if (ms >= 3_600_000 && ms % 3_600_000 === 0) return `${ms / 3_600_000} h`
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`
  return `${ms / 1000} s`
}

/** The fields' text for a webhook's settings (the relay's default waits when it has none of its own). */
export function deliveryText(settings: DeliverySettings): DeliveryText {
  return {
    timeout: String(settings.timeoutMs / 1000),
    attempts: String(settings.retry.maxAttempts),
    waits: (settings.retry.scheduleMs ?? WEBHOOK_RETRY.defaultScheduleMs).map(waitText).join(', '),
  }
}

/** What a new webhook starts with: the relay's defaults. */
export const DEFAULT_DELIVERY: DeliverySettings = {
  timeoutMs: WEBHOOK_TIMEOUT_MS.default,
  retry: { maxAttempts: WEBHOOK_RETRY.maxAttempts.default, scheduleMs: null },
}

/** One wait as typed ("30 s", "5 min", "2h", a bare number is seconds) in ms, or undefined when unreadable. */
function parseWait(text: string): number | undefined {
  const match = /^(\d+(?:[.,]\d+)?)\s*([a-z]*)$/i.exec(text.trim())
  if (!match) return undefined
  const unit = match[2] ? UNIT_WORDS[match[2].toLowerCase()] : 's'
  if (!unit) return undefined
  return Math.round(Number((match[1] ?? '').replace(',', '.')) * (UNITS[unit] ?? 1))
}

function checkTimeout(text: string): number | string {
  const seconds = Number(text.trim().replace(',', '.'))
  if (!text.trim() || !Number.isFinite(seconds))
    return `Write how long to wait as a number of seconds, like ${WEBHOOK_TIMEOUT_MS.default / 1000}.`
  const ms = Math.round(seconds * 1000)
  const [min, max] = [WEBHOOK_TIMEOUT_MS.min / 1000, WEBHOOK_TIMEOUT_MS.max / 1000]
  if (ms < WEBHOOK_TIMEOUT_MS.min) return `Wait at least ${min} second for an answer.`
  if (ms > WEBHOOK_TIMEOUT_MS.max) return `Wait at most ${max} seconds for an answer: ${text.trim()} is longer.`
  return ms
}

function checkAttempts(text: string): number | string {
  const count = Number(text.trim())
  const range = `a whole number from ${WEBHOOK_RETRY.maxAttempts.min} to ${MAX_TRIES}`
  if (!text.trim() || !Number.isInteger(count)) return `Write the tries in all as ${range}, like 4.`
  if (count < WEBHOOK_RETRY.maxAttempts.min || count > MAX_TRIES)
    return `Tries in all must be ${range} (1 means it never tries again).`
  return count
}

function checkWaits(text: string): number[] | string {
  const parts = text
    .split(/[,;]|\s+(?:and|then)\s+/i)
    .map((part) => part.trim())
    .filter(Boolean)
  if (!parts.length) return 'Write at least one wait, like 30 s.'
  if (parts.length > WEBHOOK_RETRY.scheduleSteps.max)
    return `Write at most ${WEBHOOK_RETRY.scheduleSteps.max} waits: there are at most ${MAX_TRIES} tries, so ${WEBHOOK_RETRY.scheduleSteps.max} waits between them.`
  const waits: number[] = []
  for (const part of parts) {
    const ms = parseWait(part)
    if (ms === undefined) return `“${part}” is not a wait: write waits like 30 s, 5 min or 2 h, separated by commas.`
    if (ms > WEBHOOK_RETRY.waitMs.max) return `Each wait may be at most ${MAX_WAIT_HOURS} hours: “${part}” is longer.`
    waits.push(ms)
  }
  return waits
}

const sameWaits = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((ms, index) => ms === b[index])

/** The fields checked; waits equal to the relay's default are sent as null (the default), like a new webhook's. */
export function checkDelivery(text: DeliveryText): DeliveryCheck {
  const timeout = checkTimeout(text.timeout)
  const attempts = checkAttempts(text.attempts)
  const waits = checkWaits(text.waits)
  if (typeof timeout === 'string' || typeof attempts === 'string' || typeof waits === 'string') {
    const errors: Partial<Record<keyof DeliveryText, string>> = {}
    if (typeof timeout === 'string') errors.timeout = timeout
    if (typeof attempts === 'string') errors.attempts = attempts
    if (typeof waits === 'string') errors.waits = waits
    return { ok: false, errors }
  }
  const scheduleMs = sameWaits(waits, WEBHOOK_RETRY.defaultScheduleMs) ? null : waits
  return { ok: true, settings: { timeoutMs: timeout, retry: { maxAttempts: attempts, scheduleMs } } }
}

/** The waits actually used with this many tries: the last one repeats, extra ones go unused. */
export function waitsUsed(settings: DeliverySettings): number[] {
  const schedule = settings.retry.scheduleMs ?? WEBHOOK_RETRY.defaultScheduleMs
  return Array.from(
    { length: settings.retry.maxAttempts - 1 },
    (_, index) => schedule[Math.min(index, schedule.length - 1)] ?? 0,
  )
}

const listed = (items: string[]) =>
  items.length < 2 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1) ?? ''}`

/** "Tries again after 1 s, 5 s and 25 s (4 tries in all)", or that a failure is final. */
export function retryText(settings: DeliverySettings): string {
  const waits = waitsUsed(settings)
  if (!waits.length) return 'Tried once: a failure is final'
  return `Tries again after ${listed(waits.map(waitText))} (${settings.retry.maxAttempts} tries in all)`
}

/** The fields that differ from `before`, for a PATCH or a create body; empty when nothing changed. */
export function changedDelivery(
  settings: DeliverySettings,
  before: DeliverySettings,
): Partial<Pick<Webhook, 'timeoutMs' | 'retry'>> {
  const changed: Partial<Pick<Webhook, 'timeoutMs' | 'retry'>> = {}
  if (settings.timeoutMs !== before.timeoutMs) changed.timeoutMs = settings.timeoutMs
  const sameSchedule =
    settings.retry.scheduleMs === null || before.retry.scheduleMs === null
      ? settings.retry.scheduleMs === before.retry.scheduleMs
      : sameWaits(settings.retry.scheduleMs, before.retry.scheduleMs)
  if (settings.retry.maxAttempts !== before.retry.maxAttempts || !sameSchedule) changed.retry = settings.retry
  return changed
}
