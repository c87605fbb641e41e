import type { DeliveryFrame, Environment, JsonObject, ProjectConfig, VarsFrame } from '@hookline/protocol'

/**
 * The seam between what produces stream frames (the dispatcher, inbound webhooks) and the hub that
 * stores and fans them out to open SSE connections. The dispatcher only knows this interface, so
 * the hub can move to PostgreSQL LISTEN/NOTIFY without touching it.
 */
export interface FrameSink {
  /**
   * Sets variables in one session (`{ session }`) or in every open session of the project, of
   * `environment` only (test and live never mix). Durable before it resolves.
   */
  vars(
    projectId: string,
    target: { session: string } | 'broadcast',
    set: JsonObject,
    source: VarsFrame['source'],
    environment: Environment,
  ): Promise<void>
  /** One delivery attempt of an event the session fired (not replayed on reconnect). */
  delivery(projectId: string, sessionId: string, frame: DeliveryFrame): void
  /** Events the relay committed for a session (for events that arrived by beacon). */
  ack(projectId: string, sessionId: string, ids: string[], deliveries?: Record<string, number>): void
  /** The project config changed: to every open session of the project, so open pages apply it at once. */
  config?(projectId: string, config: ProjectConfig): void
}

/** A sink that drops everything: for a relay built without a stream hub (tests of the dispatcher alone). */
export const noFrames: FrameSink = {
  vars: async () => {},
  delivery: () => {},
  ack: () => {},
}
