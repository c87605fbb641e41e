import { countMatches } from '@hookline/devtools/link'

/** True when `selector` is CSS the browser can match ("#pay[" is not). */
export function validSelector(selector: string): boolean {
  return countMatches(document.createDocumentFragment(), selector) !== null
}

/** "matches 1 element", "matches 0 elements", for the open prototype. */
export function describeMatches(matches: number): string {
  return `matches ${matches} element${matches === 1 ? '' : 's'} in the open prototype`
}
