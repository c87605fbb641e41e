import type { FrameBus, HubMessage } from './message.ts'

/** The single-node bus: publishing calls every subscriber synchronously, in order. */
export function localBus(): FrameBus {
  const handlers = new Set<(message: HubMessage) => void>()
  return {
    publish(message) {
      for (const handler of handlers) handler(message)
    },
    subscribe(handler) {
      handlers.add(handler)
      return () => handlers.delete(handler)
    },
    close() {
      handlers.clear()
      return Promise.resolve()
    },
  }
}
