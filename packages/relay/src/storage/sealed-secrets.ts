import { sql, type Kysely } from 'kysely'
import type { Database } from './schema.ts'
import { SEALED_PREFIX, secretPlace, type SecretBox } from './secret-box.ts'
import type { Dialect } from './types.ts'

// Webhook and listener secrets are stored sealed (`secret-box.ts`). These seal what an older relay
// left in the clear, and check at start that the relay's master key opens what is stored.

/** Seals every secret still in the clear; returns how many it sealed. Runs again harmlessly. */
export async function sealPlainSecrets(db: Kysely<Database>, secrets: SecretBox): Promise<number> {
  let sealed = 0
  const webhooks = await db.selectFrom('webhooks').select(['id', 'secret', 'previous_secret']).execute()
  for (const row of webhooks) {
    const secret = plain(row.secret) ? secrets.seal(row.secret, secretPlace('webhooks', 'secret', row.id)) : null
    const previous =
      row.previous_secret !== null && plain(row.previous_secret)
        ? secrets.seal(row.previous_secret, secretPlace('webhooks', 'previous_secret', row.id))
        : null
    if (secret === null && previous === null) continue
    await db
      .updateTable('webhooks')
      .set({ ...(secret ? { secret } : {}), ...(previous ? { previous_secret: previous } : {}) })
      .where('id', '=', row.id)
      .execute()
    sealed += Number(secret !== null) + Number(previous !== null)
  }
  const listeners = await db.selectFrom('listeners').select(['id', 'secret']).execute()
  for (const row of listeners) {
    if (!plain(row.secret)) continue
    const secret = secrets.seal(row.secret, secretPlace('listeners', 'secret', row.id))
    await db.updateTable('listeners').set({ secret }).where('id', '=', row.id).execute()
    sealed++
  }
  return sealed
}

/**
 * Seals again, under the current master key, every secret sealed under a previous one (after a
 * change of `HOOKLINE_MASTER_KEY`, the old one in `HOOKLINE_MASTER_KEY_PREVIOUS`); returns how many.
 */
export async function resealSecrets(db: Kysely<Database>, secrets: SecretBox): Promise<number> {
  let resealed = 0
  const again = (value: string, where: string) => {
    resealed++
    return secrets.seal(secrets.open(value, where), where)
  }
  const webhooks = await db.selectFrom('webhooks').select(['id', 'secret', 'previous_secret']).execute()
  for (const row of webhooks) {
    const stale = secrets.isStale(row.secret)
    const previousStale = row.previous_secret !== null && secrets.isStale(row.previous_secret)
    if (!stale && !previousStale) continue
    await db
      .updateTable('webhooks')
      .set({
        ...(stale ? { secret: again(row.secret, secretPlace('webhooks', 'secret', row.id)) } : {}),
        ...(previousStale && row.previous_secret !== null
          ? { previous_secret: again(row.previous_secret, secretPlace('webhooks', 'previous_secret', row.id)) }
          : {}),
      })
      .where('id', '=', row.id)
      .execute()
  }
  const listeners = await db.selectFrom('listeners').select(['id', 'secret']).execute()
  for (const row of listeners) {
    if (!secrets.isStale(row.secret)) continue
    const secret = again(row.secret, secretPlace('listeners', 'secret', row.id))
    await db.updateTable('listeners').set({ secret }).where('id', '=', row.id).execute()
  }
  return resealed
}

/** Opens every sealed secret back into the clear (the migration's `down`, for a downgrade). */
export async function openSealedSecrets(db: Kysely<Database>, secrets: SecretBox): Promise<void> {
  const webhooks = await db.selectFrom('webhooks').select(['id', 'secret', 'previous_secret']).execute()
  for (const row of webhooks) {
    const open = (value: string, column: string) =>
      plain(value) ? value : secrets.open(value, secretPlace('webhooks', column, row.id))
    await db
      .updateTable('webhooks')
      .set({
        secret: open(row.secret, 'secret'),
        previous_secret: row.previous_secret === null ? null : open(row.previous_secret, 'previous_secret'),
      })
      .where('id', '=', row.id)
      .execute()
  }
  const listeners = await db.selectFrom('listeners').select(['id', 'secret']).execute()
  for (const row of listeners) {
    if (plain(row.secret)) continue
    const secret = secrets.open(row.secret, secretPlace('listeners', 'secret', row.id))
    await db.updateTable('listeners').set({ secret }).where('id', '=', row.id).execute()
  }
}

/**
 * Throws (naming both keys) when the stored secrets were sealed under another master key: a relay
 * started with the wrong key says so at once rather than failing every delivery and inbound webhook.
 */
export async function checkMasterKey(db: Kysely<Database>, secrets: SecretBox): Promise<void> {
  const webhook = await db.selectFrom('webhooks').select(['id', 'secret']).limit(1).executeTakeFirst()
  if (webhook) secrets.open(webhook.secret, secretPlace('webhooks', 'secret', webhook.id))
  const listener = await db.selectFrom('listeners').select(['id', 'secret']).limit(1).executeTakeFirst()
  if (listener) secrets.open(listener.secret, secretPlace('listeners', 'secret', listener.id))
}

/**
 * After sealing, the old cleartext may linger in free pages and the WAL (SQLite) or in dead row
 * versions (PostgreSQL): rewrite the files so it is gone. Outside any transaction.
 */
export async function scrubFreedSpace(db: Kysely<Database>, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres') {
    await sql`VACUUM FULL webhooks, listeners`.execute(db)
    return
  }
  await sql`VACUUM`.execute(db)
  await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db)
}

function plain(value: string): boolean {
  return !value.startsWith(SEALED_PREFIX)
}
