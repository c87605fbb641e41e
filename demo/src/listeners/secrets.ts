import { map } from 'nanostores'
import { config } from '../demo-config.ts'

/**
 * Listener secrets this tab has seen: the seeded one from the demo server, and any created here
 * (the relay shows a secret once). Kept in memory only; "send a sample" signs with them.
 */
export const listenerSecrets = map<Record<string, string>>({})

export function secretFor(listenerId: string): string | undefined {
  const seeded = config().listener
  return listenerSecrets.get()[listenerId] ?? (seeded.id === listenerId ? seeded.secret : undefined)
}
