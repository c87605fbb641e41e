import { useState } from 'preact/hooks'
import { api } from '../api.ts'
import { ErrorNotice } from '../ui/error-notice.tsx'
import { PageHeader } from '../ui/page-header.tsx'
import { useLoad } from '../ui/use-load.ts'
import { SecretOnce } from '../webhooks/secret-once.tsx'
import { ListenerCard } from './listener-card.tsx'
import { ListenerForm } from './listener-form.tsx'
import { listenerSecrets } from './secrets.ts'
import type { Listener } from '@hookline/protocol'

/** Inbound webhooks: systems call these URLs to set variables in the prototype. */
export function ListenersPage() {
  const list = useLoad(() => api<{ listeners: Listener[] }>('GET', '/listeners'), [])
  const [creating, setCreating] = useState(false)
  const [fresh, setFresh] = useState<string>()
  const listeners = list.data?.listeners ?? []
  return (
    <>
      <PageHeader
        title="Listeners"
        intro="A listener is a URL your systems call. Hookline checks the signature, reads values from the JSON and sets them as variables in the prototype, live."
        actions={
          !creating && (
            <button type="button" class="button primary" onClick={() => setCreating(true)}>
              New listener
            </button>
          )
        }
      />
      {creating && (
        <ListenerForm
          onCancel={() => setCreating(false)}
          onCreated={(listener, secret) => {
            listenerSecrets.setKey(listener.id, secret)
            setCreating(false)
            setFresh(secret)
            void list.reload()
          }}
        />
      )}
      {fresh && <SecretOnce secret={fresh} onDone={() => setFresh(undefined)} />}
      {list.error && <ErrorNotice error={list.error} />}
      {list.data && listeners.length === 0 && !creating && <p class="muted">No listeners yet.</p>}
      {listeners.map((listener) => (
        <ListenerCard key={listener.id} listener={listener} onChanged={() => void list.reload()} />
      ))}
    </>
  )
}
