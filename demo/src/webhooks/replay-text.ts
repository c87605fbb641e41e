import type { WebhookReplayed } from '@hookline/protocol'

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`

/** What a replay came to, in words: how many were queued, and why the rest were left out. */
export function replayText(answer: WebhookReplayed): string {
  const { delivered, queued, filtered, notFailed } = answer.skipped
  const left = [
    delivered && `${plural(delivered, 'was', 'were')} delivered already`,
    queued && `${plural(queued, 'is', 'are')} already waiting to be sent`,
    filtered && `${plural(filtered, 'is', 'are')} left out by the filter`,
    notFailed && `${notFailed} never failed`,
  ].filter((part): part is string => typeof part === 'string')
  const head =
    answer.queued === 0
      ? 'Nothing to send again.'
      : `${plural(answer.queued, 'past event')} queued to send again, oldest first.`
  const rest = left.length ? ` Skipped: ${left.join(', ')}.` : ''
  const more = answer.more ? ' There are more: send again from the last one’s time to queue the rest.' : ''
  return head + rest + more
}

/** The `since` of a datetime-local value (the browser's own time zone), as an ISO time. */
export function sinceIso(local: string): string {
  const time = new Date(local)
  if (Number.isNaN(time.getTime())) throw new Error('Pick the time to send events again from.')
  return time.toISOString()
}

/** A datetime-local value for `ms` in the browser's time zone, to prefill the field. */
export function localInputValue(ms: number): string {
  const date = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000)
  return date.toISOString().slice(0, 16)
}
