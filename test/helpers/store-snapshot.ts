import { createHash } from 'node:crypto'
import { join } from 'node:path'
import SQLite from 'better-sqlite3'

/**
 * A fingerprint of everything a relay stored in its SQLite file under `dataDir`: a hash of every
 * table's rows (Kysely's migration bookkeeping apart). Equal before and after means a request
 * changed nothing, which is what the fuzzers and the refusal tests assert.
 */
export function storeSnapshot(dataDir: string): string {
  const file = new SQLite(join(dataDir, 'hookline.db'), { readonly: true })
  try {
    const hash = createHash('sha256')
    const tables = file
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'kysely_%' ORDER BY name")
      .all() as { name: string }[]
    for (const { name } of tables)
      hash.update(name + JSON.stringify(file.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).all()))
    return hash.digest('hex')
  } finally {
    file.close()
  }
}
