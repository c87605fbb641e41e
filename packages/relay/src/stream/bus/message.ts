import type { AckFrame, ConfigFrame, DeliveryFrame, Environment, VarsFrame } from '@hookline/protocol'

/**
 * What travels between relay nodes: one frame and who it is for. Plain JSON, so a PostgreSQL
 * `NOTIFY hookline_frames, '<json>'` can carry it unchanged; each node then writes it to the
 * browsers it holds. `vars` frames are already durable (with their `seq`) when published.
 * `receivedAt` (ms since epoch, fractional) is when the inbound webhook behind a `vars` frame
 * arrived, so that whichever node writes the frame can tell how long it took. `delivery`, `ack` and
 * targeted `vars` frames name a session, which belongs to one environment; a `vars` frame also names
 * its environment, so a listener's broadcast (or targeted webhook) reaches only its own environment.
 */
export type HubMessage =
  | {
      projectId: string
      session: string | null
      /** Only connections of this environment get it (null: a frame stored before `0065`, any). */
      environment: Environment | null
      event: 'vars'
      seq: number
      data: VarsFrame
      receivedAt?: number
    }
  | { projectId: string; session: string; event: 'delivery'; data: DeliveryFrame }
  | { projectId: string; session: string; event: 'ack'; data: AckFrame }
  | { projectId: string; session: null; event: 'config'; data: ConfigFrame }

/**
 * The publish/subscribe seam of the hub. In one process it is a function call (`local.ts`); across
 * several relay nodes it rides PostgreSQL LISTEN/NOTIFY (`postgres.ts`). Nothing above the hub changes.
 */
export interface FrameBus {
  publish(message: HubMessage): void
  /** Returns the function that unsubscribes. */
  subscribe(handler: (message: HubMessage) => void): () => void
  close(): Promise<void>
}
