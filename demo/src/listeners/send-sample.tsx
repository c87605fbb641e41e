import { newId, sign } from '@hookline/protocol'
import { api, ApiError, errorMessage, sendToDemo } from '../api.ts'
import { useEffect, useState } from 'preact/hooks'
import { HttpStatus } from '../ui/badge.tsx'
import { pretty } from '../ui/json-block.tsx'
import { Notice } from '../ui/notice.tsx'
import { sampleBody } from './sample-body.ts'
import { secretFor, signedByServer } from './secrets.ts'
import type { Listener } from '@hookline/protocol'

/**
 * "Send a sample inbound webhook": a body the mapping can read, signed (Standard Webhooks) and
 * posted to the relay. The seeded listener's samples are signed by the demo server, which alone
 * holds its secret; a listener created in this tab is signed here with the secret shown at creation.
 */
export function SendSample({ listener }: { listener: Listener }) {
  const sessionPath = typeof listener.target === 'object' ? listener.target.session : undefined
  const [session, setSession] = useState('')
  const [text, setText] = useState<string>()
  const [pasted, setPasted] = useState('')
  const [result, setResult] = useState<{ status: number; body: string }>()
  const [error, setError] = useState<string>()
  const byServer = signedByServer(listener.id)
  const known = byServer ? undefined : secretFor(listener.id)
  // Most likely the designer means the prototype they just used: offer its session.
  useEffect(() => {
    if (!sessionPath) return
    api<{ events: Array<{ sessionId: string }> }>('GET', '/events?limit=1')
      .then(({ events }) => setSession((typed) => typed || events[0]?.sessionId || ''))
      .catch(() => {})
  }, [sessionPath])
  const body = text ?? JSON.stringify(sampleBody(listener.set, sessionPath, session || 'ses_…'), null, 2)

  const send = async () => {
    setError(undefined)
    setResult(undefined)
    const secret = known ?? pasted.trim()
    if (listener.verify && !byServer && !secret) {
      setError('Paste the listener secret to sign the sample.')
      return
    }
    try {
      JSON.parse(body)
    } catch {
      setError('The sample body is not JSON.')
      return
    }
    try {
      const answer = byServer
        ? await sendToDemo(`/demo/sample/${listener.id}`, body)
        : await api('POST', listener.url, body, {
            ...(!listener.verify ? {} : await sign(secret, newId('msg'), Math.floor(Date.now() / 1000), body)),
          })
      setResult({
        status: (answer as { duplicate?: boolean } | null)?.duplicate ? 200 : 202,
        body: JSON.stringify(answer),
      })
    } catch (caught) {
      if (!(caught instanceof ApiError)) throw caught
      setResult({ status: caught.status, body: caught.message })
    }
  }

  const id = `sample-${listener.id}`
  return (
    <div class="sample">
      {sessionPath && (
        <div class="field">
          <label for={`${id}-session`}>Session to update</label>
          <input
            id={`${id}-session`}
            class="mono"
            value={session}
            placeholder="ses_… — the devtools panel of the prototype shows it"
            spellcheck={false}
            aria-describedby={`${id}-session-help`}
            onInput={(e) => setSession(e.currentTarget.value)}
          />
          <p class="muted small" id={`${id}-session-help`}>
            Filled in with the last session that fired an event: most likely your open prototype.
          </p>
        </div>
      )}
      <div class="field">
        <label for={`${id}-body`}>Sample body</label>
        <textarea
          id={`${id}-body`}
          class="code-input"
          rows={6}
          spellcheck={false}
          value={body}
          onInput={(e) => setText(e.currentTarget.value)}
        />
      </div>
      {!known && !byServer && listener.verify && (
        <div class="field">
          <label for={`${id}-secret`}>Listener secret (shown once when it was created)</label>
          <input
            id={`${id}-secret`}
            class="mono"
            value={pasted}
            placeholder="whsec_…"
            spellcheck={false}
            onInput={(e) => setPasted(e.currentTarget.value)}
          />
        </div>
      )}
      <div class="inline">
        <button
          type="button"
          class="button"
          onClick={() => void send().catch((caught: unknown) => setError(errorMessage(caught)))}
        >
          Send a sample inbound webhook
        </button>
        {result && (
          <span role="status">
            <HttpStatus status={result.status} />{' '}
            <span class="muted small">
              {result.status < 300
                ? 'The relay took it; open prototypes of that session update now.'
                : 'The relay refused it:'}
            </span>
          </span>
        )}
      </div>
      {result && <pre class="code small">{pretty(result.body)}</pre>}
      {error && <Notice>{error}</Notice>}
    </div>
  )
}
