import { useStore } from '@nanostores/preact'
import type { WritableAtom } from 'nanostores'
import { useEffect, useRef, useState } from 'preact/hooks'
import { EventLog } from './event-log.tsx'
import type { Hookline } from './hookline.ts'
import { SHORTCUT_LABEL } from './shortcut.ts'
import { StatusBar } from './status-bar.tsx'
import { Tabs } from './tabs.tsx'
import { Variables } from './variables.tsx'

interface Props {
  hl: Hookline
  open: WritableAtom<boolean>
  /** Docked into a container of the page instead of floating over it. */
  docked: boolean
}

const TABS = [
  { id: 'log', label: 'Event log' },
  { id: 'vars', label: 'Variables' },
] as const

/** The whole panel: a small launcher when closed; status, the event log and the variables when open. */
export function Panel({ hl, open, docked }: Props) {
  const isOpen = useStore(open)
  const status = useStore(hl.status)
  const entries = useStore(hl.log)
  const vars = useStore(hl.vars)
  const [tab, setTab] = useState<string>('log')
  const launcher = useRef<HTMLButtonElement>(null)
  const closeButton = useRef<HTMLButtonElement>(null)
  const wasOpen = useRef(isOpen)

  // Move focus with the panel, so a keyboard user lands where they can act.
  useEffect(() => {
    if (isOpen && !wasOpen.current) closeButton.current?.focus()
    if (!isOpen && wasOpen.current) launcher.current?.focus()
    wasOpen.current = isOpen
  }, [isOpen])

  if (!isOpen) {
    return (
      <button
        ref={launcher}
        type="button"
        class={`launcher ${docked ? 'docked' : ''}`}
        aria-expanded="false"
        title={`Open Hookline devtools (${SHORTCUT_LABEL})`}
        onClick={() => open.set(true)}
      >
        <span
          class={`dot ${status.online && status.stream === 'open' ? 'good' : status.online ? 'warn' : 'bad'}`}
          aria-hidden="true"
        />
        Hookline
        {status.queued > 0 && <span class="count">{status.queued} queued</span>}
      </button>
    )
  }

  return (
    <section
      class={`panel ${docked ? 'docked' : ''}`}
      aria-label="Hookline devtools"
      onKeyDown={(event) => {
        if (event.key === 'Escape' && !event.defaultPrevented) open.set(false)
      }}
    >
      <header>
        <h2>Hookline</h2>
        <span class="session" title="This tab's session id">
          {hl.sessionId}
        </span>
        <button
          ref={closeButton}
          type="button"
          class="icon"
          aria-label={`Close devtools (${SHORTCUT_LABEL} or Escape)`}
          onClick={() => open.set(false)}
        >
          ×
        </button>
      </header>
      <StatusBar status={status} />
      <Tabs
        idPrefix="hl"
        tabs={TABS.map((t) => ({
          id: t.id,
          label: t.id === 'vars' ? `${t.label} (${Object.keys(vars).length})` : t.label,
        }))}
        selected={tab}
        onSelect={setTab}
      />
      <div class="body" role="tabpanel" id={`hl-panel-${tab}`} aria-labelledby={`hl-tab-${tab}`}>
        {tab === 'log' ? (
          <EventLog entries={entries} />
        ) : (
          <Variables vars={vars} onSet={(name, value) => hl.vars.setKey(name, value)} />
        )}
      </div>
    </section>
  )
}
