import type { Json } from '@hookline/protocol'

/** The filter's text as a query: null when left empty; throws a sentence when it is not a JSON object. */
export function parseFilter(text: string): Json | null {
  if (!text.trim()) return null
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new Error('The filter is not JSON: write it like {"data.total": {"$gte": 100}}.')
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error('The filter must be an object of conditions, like {"session.screen": "checkout"}.')
  return parsed as Json
}

/** "Only events that match": a MongoDB-style query over the default envelope, optional. */
export function FilterField({ id, text, onChange }: { id: string; text: string; onChange: (text: string) => void }) {
  return (
    <div class="field">
      <label for={id}>Only send events that match (optional)</label>
      <textarea
        id={id}
        class="mono code-input"
        rows={3}
        spellcheck={false}
        value={text}
        placeholder='{"data.total": {"$gte": 100}, "session.screen": "checkout"}'
        aria-describedby={`${id}-help`}
        onInput={(e) => onChange(e.currentTarget.value)}
      />
      <span class="muted small" id={`${id}-help`}>
        Conditions on the event as sent by default (data.*, session.*, vars.*). Events left out show as "filtered" in
        the event log. Empty: every subscribed event is sent.
      </span>
    </div>
  )
}
