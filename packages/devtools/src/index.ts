/**
 * @module
 * Hookline's devtools: the live event log, the variables and the connection state of one SDK
 * instance, in a panel isolated by a Shadow DOM. The SDK loads it lazily from `hl.devtools()`.
 */
export { mount } from './mount.tsx'
export type { MountOptions } from './mount.tsx'
export { SHORTCUT_LABEL, isToggleShortcut } from './shortcut.ts'
