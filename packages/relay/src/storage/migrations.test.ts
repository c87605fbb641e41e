import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { expect, test } from 'vitest'
import { openStorage } from './db.ts'
import { migrations } from './migrations.ts'

// Databases record each migration by name, and Kysely refuses a list whose names no longer match
// what a database ran, or a new name that sorts before one already run.
const RECORDED = ['0001_core', '0002_delivery_queue', '0050_inbound_stream', '0070_node_leases', '0071_narrow_queue']

test('migration names are the ones databases recorded, in order, and new ones come after', () => {
  const names = Object.keys(migrations)
  expect(names.slice(0, RECORDED.length)).toEqual(RECORDED)
  expect(names).toEqual([...names].sort())
})

test('a new store runs every migration once, under those names', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hookline-migrations-'))
  try {
    for (let open = 0; open < 2; open++) {
      const storage = await openStorage({ dataDir })
      const { rows } = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(storage.db)
      await storage.close()
      expect(rows.map((row) => row.name)).toEqual(Object.keys(migrations))
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
})
