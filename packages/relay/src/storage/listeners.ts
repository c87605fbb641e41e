import type { Kysely } from 'kysely'
import type { Environment } from '@hookline/protocol'
import type { Database, ListenersTable } from './schema.ts'
import { secretPlace, type SecretBox } from './secret-box.ts'

/** Where an inbound webhook's variables go: the session named at a JSON path of its body, or every open session of the project. */
export type ListenerTarget = { session: string } | 'broadcast'

/** A listener's settings, as the admin API takes and shows them (the secret apart). */
export interface ListenerSettings {
  name: string
  /** Variable name → JSON path into the inbound body: `{"orderStatus":"$.data.status"}`. */
  set: Record<string, string>
  /** @default "broadcast" */
  target: ListenerTarget
  /** Check the Standard Webhooks signature. @default true */
  verify: boolean
  /** Whose sessions it reaches: broadcasts go to this environment's streams only. @default "test" */
  environment: Environment
}

/** A listener as the relay uses it; `secret` never leaves the relay after creation. */
export interface Listener extends ListenerSettings {
  id: string
  projectId: string
  secret: string
  createdAt: number
  updatedAt: number
}

// The secret is stored sealed (see `secret-box.ts`) and opened here.
function toListener(row: ListenersTable, secrets: SecretBox): Listener {
  return {
    id: row.id,
    projectId: row.project_id,
    name: row.name,
    secret: secrets.open(row.secret, secretPlace('listeners', 'secret', row.id)),
    set: JSON.parse(row.set_paths) as Record<string, string>,
    target: JSON.parse(row.target) as ListenerTarget,
    verify: row.verify === 1,
    environment: row.environment,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

export async function insertListener(
  db: Kysely<Database>,
  secrets: SecretBox,
  listener: { id: string; projectId: string; secret: string } & ListenerSettings,
): Promise<Listener> {
  const now = Date.now()
  const row: ListenersTable = {
    id: listener.id,
    project_id: listener.projectId,
    name: listener.name,
    secret: secrets.seal(listener.secret, secretPlace('listeners', 'secret', listener.id)),
    set_paths: JSON.stringify(listener.set),
    target: JSON.stringify(listener.target),
    verify: listener.verify ? 1 : 0,
    environment: listener.environment,
    created_at: now,
    updated_at: now,
  }
  await db.insertInto('listeners').values(row).execute()
  return toListener(row, secrets)
}

export async function listListeners(db: Kysely<Database>, secrets: SecretBox, projectId: string): Promise<Listener[]> {
  const rows = await db.selectFrom('listeners').selectAll().where('project_id', '=', projectId).orderBy('id').execute()
  return rows.map((row) => toListener(row, secrets))
}

/** The listener by id; with `projectId`, only if it belongs to that project. */
export async function findListener(
  db: Kysely<Database>,
  secrets: SecretBox,
  id: string,
  projectId?: string,
): Promise<Listener | undefined> {
  let query = db.selectFrom('listeners').selectAll().where('id', '=', id)
  if (projectId !== undefined) query = query.where('project_id', '=', projectId)
  const row = await query.executeTakeFirst()
  return row && toListener(row, secrets)
}

export async function updateListener(
  db: Kysely<Database>,
  secrets: SecretBox,
  projectId: string,
  id: string,
  patch: Partial<ListenerSettings>,
): Promise<Listener | undefined> {
  const values: Partial<ListenersTable> = { updated_at: Date.now() }
  if (patch.name !== undefined) values.name = patch.name
  if (patch.set !== undefined) values.set_paths = JSON.stringify(patch.set)
  if (patch.target !== undefined) values.target = JSON.stringify(patch.target)
  if (patch.verify !== undefined) values.verify = patch.verify ? 1 : 0
  if (patch.environment !== undefined) values.environment = patch.environment
  await db.updateTable('listeners').set(values).where('id', '=', id).where('project_id', '=', projectId).execute()
  return findListener(db, secrets, id, projectId)
}

export async function deleteListener(db: Kysely<Database>, projectId: string, id: string): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    await tx.deleteFrom('inbound_receipts').where('listener_id', '=', id).execute()
    const result = await tx
      .deleteFrom('listeners')
      .where('id', '=', id)
      .where('project_id', '=', projectId)
      .executeTakeFirst()
    return Number(result.numDeletedRows) > 0
  })
}
