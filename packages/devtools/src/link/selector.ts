/**
 * A stable CSS selector for an element a designer picked, the first that matches it alone of:
 * a `data-hl-*` attribute, its id, its role and accessible name (where CSS can say it: an
 * `aria-label`, a link's `href`, a radio's name and value), then the shortest unique path.
 */
export function stableSelector(element: Element): string {
  const doc = element.ownerDocument
  const unique = (selector: string) => {
    try {
      const found = doc.querySelectorAll(selector)
      return found.length === 1 && found[0] === element
    } catch {
      return false
    }
  }
  for (const candidate of [...hlSelectors(element), idSelector(element), ...roleSelectors(element)])
    if (candidate && unique(candidate)) return candidate
  return shortestPath(element, unique)
}

/** The element a tap on `target` is about: the nearest wired or interactive element around it. */
export function tapTarget(target: Element): Element {
  return (
    target.closest(
      '[data-hl-event],[data-hl-set],a[href],button,input,select,textarea,label,summary,[role="button"],[role="link"],[role="tab"],[tabindex]',
    ) ?? target
  )
}

const quote = (value: string) => `"${value.replace(/["\\]/g, '\\$&')}"`
const escapeIdent = (value: string) =>
  typeof CSS !== 'undefined' ? CSS.escape(value) : value.replace(/[^\w-]/g, '\\$&')

function hlSelectors(element: Element): string[] {
  // data-hl-event first: it names what the element is for.
  const names = element
    .getAttributeNames()
    .filter((name) => name.startsWith('data-hl-') && name !== 'data-hl-props')
    .sort((a, b) => (a === 'data-hl-event' ? -1 : b === 'data-hl-event' ? 1 : 0))
  return names.map((name) => `[${name}=${quote(element.getAttribute(name) ?? '')}]`)
}

function idSelector(element: Element): string | undefined {
  return element.id ? `#${escapeIdent(element.id)}` : undefined
}

function roleSelectors(element: Element): string[] {
  const tag = element.localName
  const role = element.getAttribute('role')
  const base = role ? `${tag}[role=${quote(role)}]` : tag
  const found: string[] = []
  const label = element.getAttribute('aria-label')
  if (label) found.push(`${base}[aria-label=${quote(label)}]`)
  const href = element.getAttribute('href')
  if (tag === 'a' && href) found.push(`a[href=${quote(href)}]`)
  const name = element.getAttribute('name')
  const value = element.getAttribute('value')
  if (name && value !== null) found.push(`${tag}[name=${quote(name)}][value=${quote(value)}]`)
  else if (name) found.push(`${tag}[name=${quote(name)}]`)
  return found
}

/** From the element up: `tag:nth-of-type(n)` steps, anchored on the nearest id, until it is unique. */
function shortestPath(element: Element, unique: (selector: string) => boolean): string {
  const steps: string[] = []
  let node: Element | null = element
  while (node && node.localName !== 'html') {
    const id = idSelector(node)
    if (id && node !== element && unique(`${id} > ${steps.join(' > ')}`)) return `${id} > ${steps.join(' > ')}`
    steps.unshift(step(node))
    const path = steps.join(' > ')
    if (unique(path)) return path
    node = node.parentElement
  }
  return steps.join(' > ')
}

function step(node: Element): string {
  const parent = node.parentElement
  if (!parent) return node.localName
  const same = [...parent.children].filter((child) => child.localName === node.localName)
  return same.length === 1 ? node.localName : `${node.localName}:nth-of-type(${same.indexOf(node) + 1})`
}
