import { stableSelector, tapTarget } from './selector.ts'

export interface Picking {
  /** Stops picking without an answer. */
  cancel(): void
}

/**
 * "Pick in prototype": outlines the element under the pointer, labelled with its selector; a click
 * (or Enter on the focused element) picks it instead of tapping it, Escape gives up. The outline
 * takes no pointer events, and nothing of the page runs on the picking click.
 */
export function startPicking(doc: Document, onPicked: (selector: string) => void, onCancel: () => void): Picking {
  const box = doc.createElement('div')
  box.setAttribute('data-hookline-picker', '')
  box.setAttribute('aria-hidden', 'true')
  Object.assign(box.style, {
    position: 'fixed',
    zIndex: '2147483647',
    pointerEvents: 'none',
    border: '2px solid #3b5bdb',
    background: 'rgba(59, 91, 219, 0.12)',
    borderRadius: '4px',
    display: 'none',
  })
  const tag = doc.createElement('span')
  Object.assign(tag.style, {
    position: 'absolute',
    left: '-2px',
    bottom: '100%',
    marginBottom: '4px',
    padding: '2px 6px',
    borderRadius: '4px',
    background: '#1f2a5c',
    color: '#fff',
    font: '12px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace',
    whiteSpace: 'nowrap',
  })
  box.append(tag)
  doc.body.append(box)

  let current: Element | undefined
  const show = (element: Element) => {
    current = element
    const rect = element.getBoundingClientRect()
    Object.assign(box.style, {
      display: 'block',
      left: `${rect.left - 2}px`,
      top: `${rect.top - 2}px`,
      width: `${rect.width + 4}px`,
      height: `${rect.height + 4}px`,
    })
    tag.textContent = stableSelector(element)
  }
  const targetAt = (event: Event): Element | undefined => {
    const target = event.target
    if (!(target instanceof Element) || target.closest('hookline-devtools')) return undefined
    return tapTarget(target)
  }
  const onMove = (event: Event) => {
    const element = targetAt(event)
    if (element && element !== current) show(element)
  }
  const onClick = (event: Event) => {
    const element = targetAt(event)
    if (!element) return
    event.preventDefault()
    event.stopImmediatePropagation()
    finish()
    onPicked(stableSelector(element))
  }
  const onKey = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault()
      finish()
      onCancel()
    } else if (event.key === 'Enter' && current) {
      event.preventDefault()
      event.stopImmediatePropagation()
      const picked = current
      finish()
      onPicked(stableSelector(picked))
    }
  }
  const onFocus = (event: Event) => onMove(event)
  // The window's capture phase runs before anything on the document, the SDK's tap listener
  // included: the page never sees the picking click.
  const target: EventTarget = doc.defaultView ?? doc
  const listeners: Array<[string, EventListener]> = [
    ['pointermove', onMove],
    ['pointerdown', stop],
    ['mousedown', stop],
    ['click', onClick],
    ['keydown', onKey as EventListener],
    ['focusin', onFocus],
  ]
  for (const [type, listener] of listeners) target.addEventListener(type, listener, true)
  let done = false
  function finish() {
    if (done) return
    done = true
    for (const [type, listener] of listeners) target.removeEventListener(type, listener, true)
    box.remove()
  }
  return {
    cancel: () => {
      finish()
    },
  }
}

function stop(event: Event) {
  const target = event.target
  if (target instanceof Element && target.closest('hookline-devtools')) return
  event.preventDefault()
  event.stopImmediatePropagation()
}
