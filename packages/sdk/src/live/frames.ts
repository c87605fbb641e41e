import type { DeliveryFrame, Json } from '@hookline/protocol'
import type { MapStore } from 'nanostores'
import type { Log } from '../log.ts'
import type { StreamOptions } from './stream.ts'

/**
 * What the stream's frames do: `vars` sets variables, `delivery` is logged and settles optimistic
 * updates (`settle`), `ack` acknowledges queued events (those that left by beacon).
 */
export function frameHandlers(
  vars: MapStore<Record<string, Json>>,
  log: Log,
  settle: (frame: DeliveryFrame) => void,
  acked: (ids: readonly string[], deliveries?: Readonly<Record<string, number>>) => void,
): Pick<StreamOptions, 'onVars' | 'onDelivery' | 'onAck'> {
  return {
    onVars(frame) {
      for (const [name, value] of Object.entries(frame.set)) vars.setKey(name, value)
      log.add({ kind: 'vars', set: frame.set, source: frame.source.kind })
    },
    onDelivery(frame) {
      log.add(
        frame.ok
          ? { kind: 'delivered', ...frame }
          : {
              kind: 'failed',
              ...frame,
              reason: frame.error ?? `the endpoint answered ${frame.status || 'nothing'}`,
              final: !!frame.final,
            },
      )
      settle(frame)
    },
    onAck: (frame) => acked(frame.ids, frame.deliveries),
  }
}
