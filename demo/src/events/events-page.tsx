import type { EventDefinition, ProjectConfig } from '@hookline/protocol'
import { validateProjectConfig } from '@hookline/protocol'
import { useEffect, useState } from 'preact/hooks'
import { api } from '../api.ts'
import { countInPrototype } from '../prototype-window.ts'
import { GettingStarted } from '../ui/getting-started.tsx'
import { ErrorNotice } from '../ui/error-notice.tsx'
import { Notice } from '../ui/notice.tsx'
import { PageHeader } from '../ui/page-header.tsx'
import { plainError } from '../ui/plain-error.ts'
import { useLoad } from '../ui/use-load.ts'
import { EventRow } from './event-row.tsx'
import { validSelector } from './selector-check.ts'
import { VariablesEditor } from './variables-editor.tsx'

/** Named events with their triggers, and the variables: the project config the prototype loads. */
export function EventsPage() {
  const loaded = useLoad(() => api<{ config: ProjectConfig }>('GET', '/config').then((answer) => answer.config), [])
  const [draft, setDraft] = useState<ProjectConfig>()
  const [state, setState] = useState<{ tone: 'good' | 'bad'; text: string }>()
  const [saving, setSaving] = useState(false)
  // The row "New event" just added: it takes the focus and scrolls into view, however long the list.
  const [added, setAdded] = useState<number>()
  // Per event index: how many elements its tap selector matched in the open prototype at the last save.
  const [matches, setMatches] = useState<Record<number, number>>({})
  useEffect(() => {
    if (loaded.data && !draft) setDraft(loaded.data)
  }, [loaded.data])

  if (loaded.error) return <ErrorNotice error={loaded.error} />
  if (!draft) return <p class="muted">Loading…</p>

  const dirty = JSON.stringify(draft) !== JSON.stringify(loaded.data)
  const edit = (next: ProjectConfig) => {
    setDraft(next)
    setState(undefined)
    setMatches({})
  }
  const setEvent = (index: number, event: EventDefinition) =>
    edit({ ...draft, events: draft.events.map((old, i) => (i === index ? event : old)) })

  const save = async () => {
    const cleaned: ProjectConfig = { ...draft, events: draft.events.map(withoutEmptyTrigger) }
    const invalid = cleaned.events.find(
      (event) => event.trigger && 'tap' in event.trigger && !validSelector(event.trigger.tap),
    )
    if (invalid?.trigger && 'tap' in invalid.trigger) {
      setState({
        tone: 'bad',
        text: `Not saved: "${invalid.trigger.tap}", the tap of ${invalid.name || 'an event'}, is not a valid CSS selector.`,
      })
      return
    }
    const check = validateProjectConfig(cleaned)
    if (!check.ok) {
      setState({ tone: 'bad', text: `Not saved: ${check.problems.map((p) => p.message).join(' ')}` })
      return
    }
    setSaving(true)
    try {
      // Counted in the open prototype as the save goes out: a selector matching nothing is saved, with a word.
      setMatches(await countTaps(cleaned.events))
      await api('PUT', '/config', cleaned)
      await loaded.reload()
      setDraft(cleaned)
      // The relay sends the new config to every open prototype of the project, which applies it at once.
      setState({ tone: 'good', text: 'Saved. Every open prototype uses it now, without a reload.' })
    } catch (error) {
      setState({ tone: 'bad', text: plainError(error).text })
    } finally {
      setSaving(false)
    }
  }

  return (
    <>
      <PageHeader
        title="Events"
        intro="Name the moments that matter, and attach each to a tap, a screen or a variable change. Saving updates every open prototype at once, without a reload."
        actions={
          <button type="button" class="button primary" disabled={!dirty || saving} onClick={() => void save()}>
            {saving ? 'Saving…' : dirty ? 'Save changes' : 'Saved'}
          </button>
        }
      />
      <GettingStarted />
      {state && <Notice tone={state.tone}>{state.text}</Notice>}
      <section class="card" aria-labelledby="events-title">
        <div class="card-head">
          <h2 id="events-title">Named events</h2>
          <button
            type="button"
            class="button small"
            onClick={() => {
              edit({ ...draft, events: [...draft.events, { name: '', trigger: { tap: '' } }] })
              setAdded(draft.events.length)
            }}
          >
            New event
          </button>
        </div>
        <div class="event-columns" aria-hidden="true">
          <span>Event name</span>
          <span>Trigger</span>
          <span>Fires on</span>
        </div>
        <ul class="event-list">
          {draft.events.map((event, index) => (
            <EventRow
              key={index}
              index={index}
              event={event}
              focusOnMount={index === added}
              matches={matches[index]}
              onChange={(next) => setEvent(index, next)}
              onRemove={() => {
                setAdded(undefined)
                edit({ ...draft, events: draft.events.filter((_, i) => i !== index) })
              }}
            />
          ))}
        </ul>
      </section>
      <section class="card" aria-labelledby="variables-title">
        <div class="card-head">
          <h2 id="variables-title">Variables</h2>
        </div>
        <p class="muted">
          Show one in the prototype with <code>data-hl-bind="name"</code>; set one on tap with{' '}
          <code>data-hl-set="name=value"</code>.
        </p>
        <VariablesEditor variables={draft.variables} onChange={(variables) => edit({ ...draft, variables })} />
      </section>
    </>
  )
}

/** Each tap selector's matches in the open prototype, by event index; none without a prototype. */
async function countTaps(events: readonly EventDefinition[]): Promise<Record<number, number>> {
  const counted: Record<number, number> = {}
  await Promise.all(
    events.map(async (event, index) => {
      if (!event.trigger || !('tap' in event.trigger)) return
      const found = await countInPrototype(event.trigger.tap)
      if (typeof found === 'number') counted[index] = found
    }),
  )
  return counted
}

/** A trigger row left without a selector means "no trigger", not an invalid one. */
function withoutEmptyTrigger(event: EventDefinition): EventDefinition {
  const trigger = event.trigger
  if (!trigger) return event
  const value = 'tap' in trigger ? trigger.tap : 'screen' in trigger ? trigger.screen : trigger.change
  if (value.trim()) return event
  const { trigger: _empty, ...rest } = event
  return rest
}
