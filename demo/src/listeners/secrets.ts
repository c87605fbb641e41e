import { map } from 'nanostores'
import { config } from '../demo-config.ts'

/**
 * Listener secrets this tab has seen: those of listeners created here (the relay shows a secret
 * once). Kept in memory only; "send a sample" signs with them. The seeded listener's secret never
 * reaches the browser: the demo server signs its samples (`signedByServer`).
 */
export const listenerSecrets = map<Record<string, string>>({})

export function secretFor(listenerId: string): string | undefined {
  return listenerSecrets.get()[listenerId]
}

/** Whether the demo server signs this listener's samples (the seeded one: it holds its secret). */
export function signedByServer(listenerId: string): boolean {
  return config().listener.id === listenerId
}
