import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { expect, test } from 'vitest'
import { openStorage } from './db.ts'
import { migrations } from './migrations.ts'
import { SecretBox } from './secret-box.ts'

const secrets = new SecretBox(randomBytes(32), 'a test key')
const names = Object.keys(migrations(secrets))

// Databases record each migration by name, and Kysely refuses a list whose names no longer match
// what a database ran. Ranges land in any order (0060 after 0071), which the migrator allows.
const RECORDED = [
  '0001_core',
  '0002_delivery_queue',
  '0050_inbound_stream',
  '0060_sessions',
  '0061_seal_secrets',
  '0062_key_expiry',
  '0070_node_leases',
  '0071_narrow_queue',
]

test('migration names are the ones databases recorded, in name order', () => {
  expect(names.filter((name) => RECORDED.includes(name))).toEqual(RECORDED)
  expect(names).toEqual([...names].sort())
})

test('a store that ran a later range first still takes an earlier one', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hookline-migrations-unordered-'))
  try {
    // As a database migrated before 0060 existed, but after 0071: the 0060 record and table gone.
    const first = await openStorage({ dataDir, secrets })
    await sql`DELETE FROM kysely_migration WHERE name = '0060_sessions'`.execute(first.db)
    await sql`DROP TABLE sessions`.execute(first.db)
    await first.close()
    const again = await openStorage({ dataDir, secrets })
    const { rows } = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(again.db)
    await again.close()
    expect(rows.map((row) => row.name)).toEqual(names)
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
})

test('a new store runs every migration once, under those names', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hookline-migrations-'))
  try {
    for (let open = 0; open < 2; open++) {
      const storage = await openStorage({ dataDir, secrets })
      const { rows } = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(storage.db)
      await storage.close()
      expect(rows.map((row) => row.name)).toEqual(names)
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
})

test('deliveries keep no claim columns: claims live in the queue alone (0072)', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hookline-migrations-columns-'))
  try {
    const storage = await openStorage({ dataDir, secrets })
    const { rows } = await sql<{ name: string }>`SELECT name FROM pragma_table_info('deliveries')`.execute(storage.db)
    await storage.close()
    const columns = rows.map((row) => row.name)
    expect(columns).toContain('next_attempt_at')
    expect(columns).not.toContain('lease_until')
    expect(columns).not.toContain('claimed_by')
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
})
