// The script-tag build: Vite's IIFE format assigns these exports to `window.HooklineDevtools`,
// where the SDK's script-tag build looks for `mount`. With `data-mount` on its tag, it also mounts
// itself on `window.hookline`.
import { autoMount } from './auto-mount.ts'

autoMount(document.currentScript)

export { mount } from './mount.tsx'
// The texts of the messages, which the script-tag SDK writes as codes until this chunk is loaded.
export { messageText } from '@hookline/sdk/messages'
