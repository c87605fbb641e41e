import { useState } from 'preact/hooks'
import { api } from '../api.ts'
import { MappingEditor, mappingValid, type Mapping } from '../ui/mapping-editor.tsx'
import { ErrorNotice } from '../ui/error-notice.tsx'
import type { Listener } from '@hookline/protocol'

/** Creating a listener: its name, the mapping, and whose session it updates. */
export function ListenerForm({
  onCreated,
  onCancel,
}: {
  onCreated: (listener: Listener, secret: string) => void
  onCancel: () => void
}) {
  const [name, setName] = useState('')
  const [mapping, setMapping] = useState<Mapping>({ orderStatus: '$.order.status' })
  const [broadcast, setBroadcast] = useState(false)
  const [sessionPath, setSessionPath] = useState('$.session')
  const [error, setError] = useState<unknown>()
  const submit = async (event: Event) => {
    event.preventDefault()
    if (!mappingValid(mapping)) {
      setError('Each row needs a variable name and a JSON path like $.order.status.')
      return
    }
    try {
      const created = await api<{ listener: Listener; secret: string }>('POST', '/listeners', {
        name: name.trim() || 'Untitled listener',
        set: mapping,
        target: broadcast ? 'broadcast' : { session: sessionPath },
      })
      onCreated(created.listener, created.secret)
    } catch (caught) {
      setError(caught)
    }
  }
  return (
    <form
      class="card form"
      onSubmit={(event) => void submit(event)}
      // Any edit answers the banner: it goes, and comes back on the next submit if still true.
      onInput={() => setError(undefined)}
      aria-labelledby="new-listener-title"
    >
      <div class="card-head">
        <h2 id="new-listener-title">New listener</h2>
      </div>
      <div class="field">
        <label for="listener-name">Name</label>
        <input
          id="listener-name"
          value={name}
          placeholder="CRM updates"
          onInput={(e) => setName(e.currentTarget.value)}
        />
      </div>
      <div class="field">
        <span class="label">Mapping: variables set from the incoming JSON</span>
        <MappingEditor mapping={mapping} onChange={setMapping} label="New listener mapping" />
      </div>
      <fieldset class="checks">
        <legend>Which sessions it updates</legend>
        <label class="check">
          <input type="radio" name="target" checked={!broadcast} onChange={() => setBroadcast(false)} />
          The session named in the body, at
          <input
            aria-label="JSON path of the session id"
            class="mono narrow"
            value={sessionPath}
            disabled={broadcast}
            onInput={(e) => setSessionPath(e.currentTarget.value)}
          />
        </label>
        <label class="check">
          <input type="radio" name="target" checked={broadcast} onChange={() => setBroadcast(true)} />
          Every open session of the project
        </label>
      </fieldset>
      {error !== undefined && <ErrorNotice error={error} />}
      <div class="form-actions">
        <button type="button" class="button quiet" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" class="button primary">
          Create listener
        </button>
      </div>
    </form>
  )
}
