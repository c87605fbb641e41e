/** The pattern that subscribes a webhook to every one of the relay's operational events. */
export const RELAY_NOTICES = 'hookline.*'

/** A webhook's subscriptions in words: "*" and "hookline.*" said as the form says them. */
export function eventsText(events: readonly string[]): string {
  return events
    .map((name) => (name === '*' ? "all the prototype's events" : name === RELAY_NOTICES ? 'relay notices' : name))
    .join(', ')
}
