/** The keyboard shortcut that opens and closes the panel: Alt+Shift+H ("H" for Hookline). */
export const SHORTCUT_LABEL = 'Alt+Shift+H'

/**
 * True for Alt+Shift+H. Matches the physical key (`code`), because on a Mac Option+Shift+H types
 * "Ó" and `key` would never be "H".
 */
export function isToggleShortcut(event: KeyboardEvent): boolean {
  return event.altKey && event.shiftKey && !event.ctrlKey && !event.metaKey && event.code === 'KeyH'
}
