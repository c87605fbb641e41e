import { useState } from 'preact/hooks'
import { hookline, projectId } from '../api.ts'
import { ErrorNotice } from '../ui/error-notice.tsx'
import { erasureQuestion, erasureText, type Subject } from './erasure-text.ts'

/**
 * "Erase this visitor's data" on one event of the log: the session's (or its user's) events,
 * attempt bodies, stored variables and waiting deliveries, after a confirmation that says so. The
 * page shows the counts, since the erased lines leave the log.
 */
export function EraseVisitor({
  sessionId,
  userId,
  onErased,
}: {
  sessionId: string
  userId: string | undefined
  onErased: (said: string) => void
}) {
  const [error, setError] = useState<unknown>()
  const [busy, setBusy] = useState(false)
  const erase = async (subject: Subject) => {
    if (!confirm(erasureQuestion(subject))) return
    setBusy(true)
    setError(undefined)
    try {
      const answer =
        subject.kind === 'session'
          ? await hookline().erasure.session(projectId(), subject.id)
          : await hookline().erasure.user(projectId(), subject.id)
      onErased(erasureText(subject, answer))
    } catch (caught) {
      setError(caught)
    } finally {
      setBusy(false)
    }
  }
  return (
    <div class="erase-visitor">
      <span class="inline">
        <button
          type="button"
          class="button small quiet danger"
          disabled={busy}
          onClick={() => void erase({ kind: 'session', id: sessionId })}
        >
          Erase this visitor's data
        </button>
        {userId !== undefined && (
          <button
            type="button"
            class="button small quiet danger"
            disabled={busy}
            onClick={() => void erase({ kind: 'user', id: userId })}
          >
            Erase everything of user {userId}
          </button>
        )}
      </span>
      {error !== undefined && <ErrorNotice error={error} />}
    </div>
  )
}
