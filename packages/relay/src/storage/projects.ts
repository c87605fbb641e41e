import type { Kysely } from 'kysely'
import type { Environment, ProjectConfig } from '@hookline/protocol'
import type { Database, ProjectsTable } from './schema.ts'

export interface Project {
  id: string
  name: string
  allowedOrigins: string[]
  createdAt: string
}

export const EMPTY_CONFIG: ProjectConfig = { events: [], variables: {} }

export function toProject(row: Pick<ProjectsTable, 'id' | 'name' | 'allowed_origins' | 'created_at'>): Project {
  return {
    id: row.id,
    name: row.name,
    allowedOrigins: JSON.parse(row.allowed_origins) as string[],
    createdAt: new Date(row.created_at).toISOString(),
  }
}

export async function insertProject(
  db: Kysely<Database>,
  project: { id: string; name: string; allowedOrigins: string[] },
  keys: { hash: string; environment: Environment; hint: string }[],
): Promise<void> {
  const now = Date.now()
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('projects')
      .values({
        id: project.id,
        name: project.name,
        allowed_origins: JSON.stringify(project.allowedOrigins),
        config: JSON.stringify(EMPTY_CONFIG),
        created_at: now,
        updated_at: now,
      })
      .execute()
    await tx
      .insertInto('keys')
      .values(
        keys.map((key) => ({
          hash: key.hash,
          project_id: project.id,
          environment: key.environment,
          hint: key.hint,
          created_at: now,
          expires_at: null,
        })),
      )
      .execute()
  })
}

export async function listProjects(db: Kysely<Database>): Promise<Project[]> {
  const rows = await db
    .selectFrom('projects')
    .select(['id', 'name', 'allowed_origins', 'created_at'])
    .orderBy('id')
    .execute()
  return rows.map(toProject)
}

export async function findProject(db: Kysely<Database>, id: string): Promise<Project | undefined> {
  const row = await db
    .selectFrom('projects')
    .select(['id', 'name', 'allowed_origins', 'created_at'])
    .where('id', '=', id)
    .executeTakeFirst()
  return row && toProject(row)
}

export async function updateProject(
  db: Kysely<Database>,
  id: string,
  changes: { name?: string; allowedOrigins?: string[] },
): Promise<Project | undefined> {
  const values: Partial<ProjectsTable> = { updated_at: Date.now() }
  if (changes.name !== undefined) values.name = changes.name
  if (changes.allowedOrigins !== undefined) values.allowed_origins = JSON.stringify(changes.allowedOrigins)
  await db.updateTable('projects').set(values).where('id', '=', id).execute()
  return findProject(db, id)
}

/** Deletes a project and everything it owns. */
export async function deleteProject(db: Kysely<Database>, id: string): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    await tx
      .deleteFrom('delivery_queue')
      .where('webhook_id', 'in', tx.selectFrom('webhooks').select('id').where('project_id', '=', id))
      .execute()
    for (const table of ['attempts', 'deliveries', 'events', 'webhooks', 'keys'] as const) {
      await tx.deleteFrom(table).where('project_id', '=', id).execute()
    }
    const result = await tx.deleteFrom('projects').where('id', '=', id).executeTakeFirst()
    return Number(result.numDeletedRows) > 0
  })
}

export async function readConfig(db: Kysely<Database>, projectId: string): Promise<ProjectConfig | undefined> {
  const row = await db.selectFrom('projects').select('config').where('id', '=', projectId).executeTakeFirst()
  return row && (JSON.parse(row.config) as ProjectConfig)
}

export async function writeConfig(db: Kysely<Database>, projectId: string, config: ProjectConfig): Promise<void> {
  await db
    .updateTable('projects')
    .set({ config: JSON.stringify(config), updated_at: Date.now() })
    .where('id', '=', projectId)
    .execute()
}

/** The project and environment of a publishable key, by its hash, and when it stops working (null: never). */
export async function findKey(
  db: Kysely<Database>,
  hash: string,
): Promise<{ projectId: string; environment: Environment; expiresAt: number | null } | undefined> {
  const row = await db
    .selectFrom('keys')
    .select(['project_id', 'environment', 'expires_at'])
    .where('hash', '=', hash)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', Date.now())]))
    .executeTakeFirst()
  return row && { projectId: row.project_id, environment: row.environment, expiresAt: row.expires_at }
}

/** When each of these keys stops working (null: never); a key not in the answer is gone. */
export async function keyEnds(db: Kysely<Database>, hashes: string[]): Promise<Map<string, number | null>> {
  if (hashes.length === 0) return new Map()
  const rows = await db.selectFrom('keys').select(['hash', 'expires_at']).where('hash', 'in', hashes).execute()
  return new Map(rows.map((row) => [row.hash, row.expires_at]))
}

/**
 * Replaces the environment's current publishable key with `key`: the current one keeps working
 * until `expiresAt`, and so does any key already on its way out, unless its own end is earlier
 * (so a rotation with no grace, after a leak, ends every old key at once); keys past their end
 * are deleted. One transaction, so there is never a moment without a working key.
 */
export async function rotateKey(
  db: Kysely<Database>,
  projectId: string,
  key: { hash: string; environment: Environment; hint: string },
  expiresAt: number,
): Promise<void> {
  const now = Date.now()
  await db.transaction().execute(async (tx) => {
    await tx
      .deleteFrom('keys')
      .where('project_id', '=', projectId)
      .where('environment', '=', key.environment)
      .where('expires_at', '<=', now)
      .execute()
    await tx
      .updateTable('keys')
      .set({ expires_at: expiresAt })
      .where('project_id', '=', projectId)
      .where('environment', '=', key.environment)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', expiresAt)]))
      .execute()
    await tx
      .insertInto('keys')
      .values({ ...key, project_id: projectId, created_at: now, expires_at: null })
      .execute()
  })
}
