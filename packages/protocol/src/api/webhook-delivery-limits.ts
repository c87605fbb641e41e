// A webhook's timeout and retry settings: the bounds the admin API accepts (WebhookCreateSchema
// checks them) and the defaults docs/api.md and docs/webhooks.md promise, in one place, so that a
// form can say the same limits the relay enforces before anything is sent.

/** How long one attempt waits for the endpoint's answer, in ms (`timeoutMs`). */
export const WEBHOOK_TIMEOUT_MS = { min: 1000, max: 30_000, default: 10_000 } as const

/** The longest wait between two attempts: a Svix-like 27 h schedule. */
const MAX_WAIT_MS = 27 * 60 * 60 * 1000

/** `retry`: how many attempts in all, and the waits between them (the last wait repeats). */
export const WEBHOOK_RETRY = {
  maxAttempts: { min: 1, max: 10, default: 4 },
  /** Waits between attempts: one fewer than the most attempts at most. */
  scheduleSteps: { min: 1, max: 9 },
  waitMs: { min: 0, max: MAX_WAIT_MS },
  /** 1 s, 5 s, 25 s after the first attempt (each ±20%), used while `scheduleMs` is null. */
  defaultScheduleMs: [1000, 5000, 25_000],
} as const
