import { plainError } from './plain-error.ts'

/** An error in plain words, with the relay's technical rule folded away beneath it. */
export function ErrorNotice({ error }: { error: unknown }) {
  const { text, detail } = plainError(error)
  return (
    <div class="notice bad" role="alert">
      <p>{text}</p>
      {detail && (
        <details class="error-detail">
          <summary>Technical detail</summary>
          <code>{detail}</code>
        </details>
      )}
    </div>
  )
}
