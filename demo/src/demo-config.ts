import { atom } from 'nanostores'
import type { DemoConfig } from '../shared/demo-config.ts'

export type { DemoConfig }

/** The relay, the admin token and the seeded project, from the demo server; null until loaded. */
export const demoConfig = atom<DemoConfig | null>(null)

/** Loads `/demo-config.json` once, at start. */
export async function loadDemoConfig(): Promise<DemoConfig> {
  const response = await fetch('/demo-config.json', { cache: 'no-store' })
  if (!response.ok) {
    // A 403 says why in its body: most often the dashboard was opened without the printed link.
    const refusal = (await response.json().catch(() => null)) as { error?: { message?: string } } | null
    throw new Error(
      refusal?.error?.message ??
        `The demo server did not hand over its settings (${response.status}). Start the demo with npm start.`,
    )
  }
  const config = (await response.json()) as DemoConfig
  demoConfig.set(config)
  return config
}

/** The current config; only called once the app has loaded it. */
export function config(): DemoConfig {
  const value = demoConfig.get()
  if (!value) throw new Error('The demo config is not loaded yet.')
  return value
}
