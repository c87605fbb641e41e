import { useState } from 'preact/hooks'
import { api } from '../api.ts'
import { config } from '../demo-config.ts'
import { ErrorNotice } from '../ui/error-notice.tsx'
import { Notice } from '../ui/notice.tsx'
import { parseTemplate, TemplateEditor } from './template-editor.tsx'
import type { Webhook } from '@hookline/protocol'

/** The payload editor of an existing webhook, saved with PATCH. */
export function PayloadSettings({ webhook, onSaved }: { webhook: Webhook; onSaved: () => void }) {
  const saved = webhook.template == null ? '' : JSON.stringify(webhook.template, null, 2)
  const [text, setText] = useState(saved)
  const [note, setNote] = useState<{ tone: 'good'; text: string } | { tone: 'bad'; error: unknown }>()
  const save = async () => {
    try {
      await api('PATCH', `/webhooks/${webhook.id}`, { template: parseTemplate(text) })
      setNote({ tone: 'good', text: 'Saved: the next delivery uses it.' })
      onSaved()
    } catch (error) {
      setNote({ tone: 'bad', error })
    }
  }
  return (
    <section class="card" aria-labelledby="payload-title">
      <div class="card-head">
        <h2 id="payload-title">Payload</h2>
        <button type="button" class="button small" disabled={text === saved} onClick={() => void save()}>
          Save payload
        </button>
      </div>
      <TemplateEditor
        text={text}
        onChange={(next) => {
          setText(next)
          setNote(undefined)
        }}
        projectId={config().projectId}
        environment={webhook.environment}
        eventName={webhook.events[0] ?? 'checkout-completed'}
      />
      {note && (note.tone === 'good' ? <Notice tone="good">{note.text}</Notice> : <ErrorNotice error={note.error} />)}
    </section>
  )
}
