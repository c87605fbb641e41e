import type { Erasure } from '@hookline/protocol'

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`

/** Who is erased, in words: a session, or a user across every session of theirs. */
export type Subject = { kind: 'session'; id: string } | { kind: 'user'; id: string }

const whose = (subject: Subject) =>
  subject.kind === 'session' ? `this visitor's session (${subject.id})` : `the user ${subject.id}, in every session`

/** What the confirmation says will go, before anything does. */
export function erasureQuestion(subject: Subject): string {
  // A user's erasure also takes the anonymous events of their sessions (docs/api.md): say so.
  const theirs =
    subject.kind === 'user'
      ? "their events (with those their sessions sent before they were identified; another user's stay)"
      : 'their events'
  return (
    `Erase the data of ${whose(subject)}? ` +
    `This deletes ${theirs} and stored variables, wipes the request and response bodies sent for them, ` +
    'and cancels their deliveries still waiting to be sent. It cannot be undone.'
  )
}

/** What an erasure removed, in words, with each count. */
export function erasureText(subject: Subject, answer: Erasure): string {
  const { events, deliveriesCancelled, attempts, frames } = answer.erased
  return (
    `Erased ${whose(subject)}: ${plural(events, 'event')} deleted, ` +
    `the bodies of ${plural(attempts, 'attempt')} wiped, ${plural(frames, 'stored variable update')} deleted, ` +
    `${plural(deliveriesCancelled, 'waiting delivery', 'waiting deliveries')} cancelled.`
  )
}
