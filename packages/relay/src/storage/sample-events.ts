import type { Kysely } from 'kysely'
import type { Environment } from '@hookline/protocol'
import type { Database } from './schema.ts'

/** The project's latest events of one environment, newest first (names and bodies only). */
export async function latestEvents(
  db: Kysely<Database>,
  projectId: string,
  environment: Environment,
  limit: number,
): Promise<{ name: string; body: string }[]> {
  return db
    .selectFrom('events')
    .select(['name', 'body'])
    .where('project_id', '=', projectId)
    .where('environment', '=', environment)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
}
