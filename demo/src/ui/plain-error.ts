import { ApiError } from '../api.ts'

/** An error as the dashboard shows it: a sentence anyone can act on, and the relay's own words. */
export interface PlainError {
  text: string
  /** The technical rule or message behind it, shown on request; absent when the text is it. */
  detail?: string
}

// The demo's relay runs in dev mode, where HOOKLINE_ALLOW_HOSTS also holds localhost, 127.0.0.0/8
// and ::1: plain http:// is accepted for those, and only those.
const HTTP_HERE =
  'On this computer http:// works too (http://localhost or http://127.0.0.1), as the demo runs in dev mode.'

const URL_RULES: Record<string, string> = {
  scheme: `The endpoint address must start with https://. ${HTTP_HERE}`,
  plain_http: `Webhooks go out over https://, so use the endpoint's https:// address. ${HTTP_HERE}`,
  cloud_metadata: "That address is a cloud provider's internal service: webhooks may never reach it.",
  loopback: 'That address is this machine itself, which the relay is not set up to reach.',
  private: 'That address is inside a private network, which webhooks may not reach. Use an address on the internet.',
  unique_local:
    'That address is inside a private network, which webhooks may not reach. Use an address on the internet.',
  link_local: 'That address only exists on the local network link; webhooks may not reach it.',
  cgnat: "That address belongs to a provider's shared network; webhooks may not reach it.",
}

/** What to say for anything a call to the relay rejected with. */
export function plainError(error: unknown): PlainError {
  if (!(error instanceof ApiError)) return { text: error instanceof Error ? error.message : String(error) }
  const technical = `${error.code}: ${error.message}`
  if (error.code === 'url_not_allowed') {
    const rule = /\(rule (\w+)\)/.exec(error.message)?.[1] ?? ''
    const text = Object.hasOwn(URL_RULES, rule) ? URL_RULES[rule] : undefined
    return { text: text ?? 'Webhooks may not be sent to that address.', detail: technical }
  }
  if (error.status === 0) return { text: error.message }
  // A route this relay does not have yet (an older relay behind a newer dashboard).
  if (error.status === 404 && error.message.startsWith('No route'))
    return { text: 'This relay does not offer that yet: update it, then try again.', detail: technical }
  if (error.status === 404) return { text: 'It is not there any more: someone may have deleted it.', detail: technical }
  if (error.status === 429)
    return { text: 'Too many requests at once. Wait a moment and try again.', detail: technical }
  if (error.status >= 500) return { text: 'The relay failed to do that. Try again in a moment.', detail: technical }
  // The relay's 4xx messages are already sentences about the field at fault.
  return { text: error.message, detail: error.code }
}
