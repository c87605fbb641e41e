import type { Migration } from 'kysely'
import * as core from './migrations/0001_core.ts'
import * as deliveryQueue from './migrations/0002_delivery_queue.ts'
import * as inboundStream from './migrations/0050_inbound_stream.ts'
import * as sessions from './migrations/0060_sessions.ts'
import { sealSecrets } from './migrations/0061_seal_secrets.ts'
import * as keyExpiry from './migrations/0062_key_expiry.ts'
import * as environmentFrames from './migrations/0065_environment_frames.ts'
import * as eventsPerEnvironment from './migrations/0066_events_per_environment.ts'
import * as nodeLeases from './migrations/0070_node_leases.ts'
import * as narrowQueue from './migrations/0071_narrow_queue.ts'
import * as unusedClaimColumns from './migrations/0072_unused_claim_columns.ts'
import * as webhookSemantics from './migrations/0080_webhook_semantics.ts'
import * as sessionLanes from './migrations/0081_session_lanes.ts'
import * as orderedDrains from './migrations/0082_ordered_drains.ts'
import * as coveringDueIndex from './migrations/0083_covering_due_index.ts'
import type { SecretBox } from './secret-box.ts'

/**
 * Every migration, by the name each database records once it ran it; Kysely runs them in name
 * order, once each, and refuses a new one that sorts before one already run. So a name never
 * changes, and each issue numbers its own range (this one's next is `0073_…`): write `migrations/NNNN_name.ts` with `up` (and `down`)
 * and add a line here. `secrets` is the master key, for the migrations that seal secrets.
 */
export const migrations = (secrets: SecretBox): Record<string, Migration> => ({
  '0001_core': core,
  '0002_delivery_queue': deliveryQueue,
  '0050_inbound_stream': inboundStream,
  '0060_sessions': sessions,
  '0061_seal_secrets': sealSecrets(secrets),
  '0062_key_expiry': keyExpiry,
  '0065_environment_frames': environmentFrames,
  '0066_events_per_environment': eventsPerEnvironment,
  '0070_node_leases': nodeLeases,
  '0071_narrow_queue': narrowQueue,
  '0072_unused_claim_columns': unusedClaimColumns,
  '0080_webhook_semantics': webhookSemantics,
  '0081_session_lanes': sessionLanes,
  '0082_ordered_drains': orderedDrains,
  '0083_covering_due_index': coveringDueIndex,
})
