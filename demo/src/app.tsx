import { useStore } from '@nanostores/preact'
import { useEffect, useState } from 'preact/hooks'
import { errorMessage } from './api.ts'
import { demoConfig, loadDemoConfig } from './demo-config.ts'
import { EventsPage } from './events/events-page.tsx'
import { EventLogPage } from './log/event-log-page.tsx'
import { ListenersPage } from './listeners/listeners-page.tsx'
import { MonitoringPage } from './monitoring/monitoring-page.tsx'
import { openPrototype, PROTOTYPE_URL } from './prototype-window.ts'
import { href, route, type Section } from './route.ts'
import { Notice } from './ui/notice.tsx'
import { WebhooksPage } from './webhooks/webhooks-page.tsx'

const NAV: ReadonlyArray<{ section: Section; label: string; hint: string }> = [
  { section: 'events', label: 'Events', hint: 'Name events, attach triggers' },
  { section: 'webhooks', label: 'Webhooks', hint: 'Send events to your systems' },
  { section: 'listeners', label: 'Listeners', hint: 'Let systems talk back' },
  { section: 'log', label: 'Event log', hint: 'Every event, every session' },
  { section: 'monitoring', label: 'Monitoring', hint: 'Rates and latency' },
]

/** The dashboard: a side navigation, the open page, and the way to the prototype. */
export function App() {
  const config = useStore(demoConfig)
  const current = useStore(route)
  const [failure, setFailure] = useState<string>()
  useEffect(() => {
    loadDemoConfig().catch((error: unknown) => {
      setFailure(errorMessage(error))
    })
  }, [])

  return (
    <div class="shell">
      <a class="skip" href="#main">
        Skip to content
      </a>
      <aside class="sidebar">
        <a class="brand" href={href('events')}>
          <span class="logo" aria-hidden="true" />
          Hookline
        </a>
        <nav aria-label="Dashboard">
          <ul>
            {NAV.map((item) => (
              <li key={item.section}>
                <a href={href(item.section)} aria-current={current.section === item.section ? 'page' : undefined}>
                  <span class="nav-label">{item.label}</span>
                  <span class="nav-hint">{item.hint}</span>
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <a
          class="button primary open-prototype"
          href={PROTOTYPE_URL}
          target="hookline-prototype"
          onClick={openPrototype}
        >
          Open the prototype ↗
        </a>
      </aside>
      <main id="main" tabIndex={-1}>
        {failure ? (
          <Notice>{failure}</Notice>
        ) : !config ? (
          <p class="muted">Loading…</p>
        ) : (
          <Page section={current.section} id={current.id} />
        )}
      </main>
    </div>
  )
}

function Page({ section, id }: { section: Section; id: string | undefined }) {
  switch (section) {
    case 'events':
      return <EventsPage />
    case 'webhooks':
      return <WebhooksPage openId={id} />
    case 'listeners':
      return <ListenersPage />
    case 'log':
      return <EventLogPage />
    case 'monitoring':
      return <MonitoringPage />
  }
}
