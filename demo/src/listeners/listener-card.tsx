import { useState } from 'preact/hooks'
import { api } from '../api.ts'
import { config } from '../demo-config.ts'
import { CopyButton } from '../ui/copy-button.tsx'
import { MappingEditor, mappingValid } from '../ui/mapping-editor.tsx'
import { ErrorNotice } from '../ui/error-notice.tsx'
import { Notice } from '../ui/notice.tsx'
import { secretFor, signedByServer } from './secrets.ts'
import { SendSample } from './send-sample.tsx'
import type { Listener } from '@hookline/protocol'

/** One listener: its URL and secret to copy, its mapping, and a sample to try it with. */
export function ListenerCard({ listener, onChanged }: { listener: Listener; onChanged: () => void }) {
  const [mapping, setMapping] = useState(listener.set)
  const [note, setNote] = useState<{ tone: 'good'; text: string } | { tone: 'bad'; error: unknown }>()
  const url = config().relayUrl + listener.url
  const secret = secretFor(listener.id)
  const dirty = JSON.stringify(mapping) !== JSON.stringify(listener.set)
  const save = async () => {
    if (!mappingValid(mapping)) {
      setNote({ tone: 'bad', error: 'Each row needs a variable name and a JSON path like $.order.status.' })
      return
    }
    try {
      await api('PATCH', `/listeners/${listener.id}`, { set: mapping })
      setNote({ tone: 'good', text: 'Mapping saved.' })
      onChanged()
    } catch (error) {
      setNote({ tone: 'bad', error })
    }
  }
  const remove = async () => {
    if (!confirm(`Delete the listener "${listener.name}"? Systems calling its URL will get 404.`)) return
    try {
      await api('DELETE', `/listeners/${listener.id}`)
      onChanged()
    } catch (error) {
      setNote({ tone: 'bad', error })
    }
  }
  return (
    <section class="card" aria-labelledby={`listener-${listener.id}`}>
      <div class="card-head">
        <h2 id={`listener-${listener.id}`}>{listener.name}</h2>
        <span class="inline">
          <span class="badge neutral">
            {listener.target === 'broadcast' ? 'every open session' : `session at ${listener.target.session}`}
          </span>
          <button
            type="button"
            class="button small quiet danger"
            aria-label={`Delete listener ${listener.name}`}
            onClick={() => void remove()}
          >
            Delete
          </button>
        </span>
      </div>
      <div class="copy-row">
        <span class="label">URL</span>
        <code class="mono truncate">{url}</code>
        <CopyButton text={url} label="Copy URL" />
      </div>
      <div class="copy-row">
        <span class="label">Secret</span>
        {secret ? (
          <>
            <code class="mono truncate">{secret.slice(0, 12)}••••••••</code>
            <CopyButton text={secret} label="Copy secret" />
          </>
        ) : signedByServer(listener.id) ? (
          <span class="muted small">Kept by the demo server, which signs this listener&apos;s samples</span>
        ) : (
          <span class="muted small">
            Shown once when created{!listener.verify ? ' (signatures are not checked)' : ''}
          </span>
        )}
      </div>
      <div class="field">
        <span class="label">Mapping: variables set from the incoming JSON</span>
        <MappingEditor
          mapping={mapping}
          onChange={(next) => {
            setMapping(next)
            setNote(undefined)
          }}
          label={`Mapping of ${listener.name}`}
        />
        {dirty && (
          <button type="button" class="button small primary" onClick={() => void save()}>
            Save mapping
          </button>
        )}
        {note && (note.tone === 'good' ? <Notice tone="good">{note.text}</Notice> : <ErrorNotice error={note.error} />)}
      </div>
      <details class="try">
        <summary>Try it: send a sample inbound webhook</summary>
        <SendSample listener={{ ...listener, set: mapping }} />
      </details>
    </section>
  )
}
