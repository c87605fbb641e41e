// The script-tag build: Vite's IIFE format assigns these exports to `window.HooklineDevtools`,
// where the SDK's script-tag build looks for `mount`.
export { mount } from './mount.tsx'
