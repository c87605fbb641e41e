// The script-tag build: Vite's IIFE format assigns these exports to `window.HooklineDevtools`,
// where the SDK's script-tag build looks for `mount`. With `data-mount` on its tag, it also mounts
// itself on `window.hookline`.
import { autoMount } from './auto-mount.ts'

autoMount(document.currentScript)

export { mount } from './mount.tsx'
