import { MESSAGES, messageText, type MessageCode } from '@hookline/sdk/messages'
import type { LogEntry } from './hookline.ts'

/** How an entry reads at a glance; `tone` picks its colour. */
export type Tone = 'neutral' | 'info' | 'good' | 'bad' | 'warn' | 'vars'

export interface EntryView {
  /** The kind, as a short word for the badge. */
  label: string
  tone: Tone
  /** The event's name, when the entry is about one event. */
  title: string
  /** What happened, in a few words. */
  detail: string
}

const SHORT_ID = 14

/** Names entries by their event where the log knows it: "delivered checkout-completed", not an id. */
export function describeEntry(entry: LogEntry, names: ReadonlyMap<string, string>): EntryView {
  const nameOf = (id: string): string => names.get(id) ?? shortId(id)
  switch (entry.kind) {
    case 'fired':
      return { label: 'fired', tone: 'info', title: entry.name, detail: propsSummary(entry.props) }
    case 'queued':
      return { label: 'queued', tone: 'neutral', title: nameOf(entry.eventId), detail: `queue depth ${entry.depth}` }
    case 'sent':
      return {
        label: 'sent',
        tone: 'neutral',
        title: manyNames(entry.eventIds, nameOf),
        detail: `by ${entry.transport}`,
      }
    case 'acknowledged':
      return {
        label: 'acknowledged',
        tone: 'good',
        title: manyNames(entry.eventIds, nameOf),
        detail: 'stored by the relay',
      }
    case 'rejected':
      return { label: 'rejected', tone: 'bad', title: nameOf(entry.eventId), detail: entry.reason }
    case 'delivered':
      return {
        label: 'delivered',
        tone: 'good',
        title: nameOf(entry.eventId),
        // The attempt's own time: the relay's request to the endpoint's answer (docs/monitoring.md).
        detail: `${entry.status} · request → response ${entry.latencyMs} ms · ${shortId(entry.webhookId)}${entry.attempt > 1 ? ` · attempt ${entry.attempt}` : ''}`,
      }
    case 'failed':
      return {
        label: 'failed',
        tone: 'bad',
        title: nameOf(entry.eventId),
        detail: [entry.status ? String(entry.status) : null, entry.reason, entry.final ? 'gave up' : 'will retry']
          .filter(Boolean)
          .join(' · '),
      }
    case 'rolled-back':
      return {
        label: 'rolled back',
        tone: 'warn',
        title: nameOf(entry.eventId),
        detail: `${entry.vars.join(', ')}: ${entry.reason}`,
      }
    case 'vars':
      return { label: 'variables', tone: 'vars', title: assignments(entry.set), detail: `from ${entry.source}` }
    case 'evicted':
      return {
        label: 'evicted',
        tone: 'warn',
        title: `${entry.count} event${entry.count === 1 ? '' : 's'}`,
        detail: 'the queue was over its byte budget',
      }
    case 'warning':
      // The script-tag SDK writes codes (docs/messages.md): the panel shows the full text.
      return {
        label: 'warning',
        tone: 'warn',
        title: entry.code in MESSAGES ? messageText(entry.code as MessageCode, entry.args) : entry.message,
        detail: entry.code,
      }
  }
}

/** Event ids → names, from the `fired` entries still in the log. */
export function eventNames(entries: readonly LogEntry[]): Map<string, string> {
  const names = new Map<string, string>()
  // A restored event (queued by an earlier page) has no `fired` entry: its `queued` one names it.
  for (const entry of entries) {
    if (entry.kind === 'fired') names.set(entry.eventId, entry.name)
    else if (entry.kind === 'queued' && typeof entry.name === 'string') names.set(entry.eventId, entry.name)
  }
  return names
}

/** The words a filter matches against: kind, event name and detail. */
export function entryText(entry: LogEntry, view: EntryView): string {
  return `${entry.kind} ${view.label} ${view.title} ${view.detail}`.toLowerCase()
}

function manyNames(ids: readonly string[], nameOf: (id: string) => string): string {
  const unique = [...new Set(ids.map(nameOf))]
  const shown = unique.slice(0, 2).join(', ')
  const more = ids.length - Math.min(ids.length, 2)
  return more > 0 && unique.length > 2
    ? `${shown} +${unique.length - 2}`
    : ids.length > 1 && unique.length === 1
      ? `${shown} ×${ids.length}`
      : shown
}

function assignments(set: Record<string, unknown>): string {
  return Object.entries(set)
    .map(([key, value]) => `${key} = ${JSON.stringify(value)}`)
    .join(', ')
}

function propsSummary(props: Record<string, unknown> | undefined): string {
  if (!props || Object.keys(props).length === 0) return ''
  const text = JSON.stringify(props)
  return text.length > 60 ? text.slice(0, 59) + '…' : text
}

function shortId(id: string): string {
  return id.length > SHORT_ID ? id.slice(0, SHORT_ID) + '…' : id
}
