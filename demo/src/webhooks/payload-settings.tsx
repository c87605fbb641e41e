import { useState } from 'preact/hooks'
import { api } from '../api.ts'
import { config } from '../demo-config.ts'
import { Notice } from '../ui/notice.tsx'
import { parseTemplate, TemplateEditor } from './template-editor.tsx'
import type { Webhook } from '@hookline/protocol'

/** The payload editor of an existing webhook, saved with PATCH. */
export function PayloadSettings({ webhook, onSaved }: { webhook: Webhook; onSaved: () => void }) {
  const saved = webhook.template == null ? '' : JSON.stringify(webhook.template, null, 2)
  const [text, setText] = useState(saved)
  const [note, setNote] = useState<{ tone: 'good' | 'bad'; text: string }>()
  const save = async () => {
    try {
      await api('PATCH', `/webhooks/${webhook.id}`, { template: parseTemplate(text) })
      setNote({ tone: 'good', text: 'Saved: the next delivery uses it.' })
      onSaved()
    } catch (error) {
      setNote({ tone: 'bad', text: (error as Error).message })
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
        onChange={setText}
        projectId={config().projectId}
        environment={webhook.environment}
        eventName={webhook.events[0] ?? 'checkout-completed'}
      />
      {note && <Notice tone={note.tone}>{note.text}</Notice>}
    </section>
  )
}
