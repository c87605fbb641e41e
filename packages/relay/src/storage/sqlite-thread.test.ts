import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import SQLite from 'better-sqlite3'
import { afterEach, expect, test } from 'vitest'
import { openStorage } from './db.ts'
import { SecretBox } from './secret-box.ts'
import { storageThread } from './remote.ts'
import type { Storage } from './types.ts'

const secrets = new SecretBox(randomBytes(32), 'a test key')
const dirs: string[] = []
const stores: Storage[] = []
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close().catch(() => undefined)
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

async function open(): Promise<{ store: Storage; dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hookline-thread-'))
  dirs.push(dataDir)
  const store = await openStorage({ dataDir, secrets, thread: true })
  stores.push(store)
  return { store, dataDir }
}

const project = (id: string) => ({
  id,
  name: id,
  allowed_origins: '[]',
  config: '{}',
  created_at: 1,
  updated_at: 1,
})

/** What another connection to the file sees: only what was committed. */
function committedProjects(dataDir: string): string[] {
  const file = new SQLite(join(dataDir, 'hookline.db'), { readonly: true })
  try {
    return (file.prepare('SELECT id FROM projects ORDER BY id').all() as { id: string }[]).map((row) => row.id)
  } finally {
    file.close()
  }
}

test('the store runs in a worker thread, migrated there; each write is committed before it is answered', async () => {
  const { store, dataDir } = await open()
  expect(storageThread(store.db)).toBeDefined()
  // Concurrent writes, statement by statement and in transactions: each answer comes after its commit.
  await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      i % 2
        ? store.db
            .insertInto('projects')
            .values(project(`p${String(i).padStart(2, '0')}`))
            .execute()
        : store.db.transaction().execute(async (tx) => {
            await tx
              .insertInto('projects')
              .values(project(`p${String(i).padStart(2, '0')}`))
              .execute()
            await tx
              .updateTable('projects')
              .set({ name: 'renamed' })
              .where('id', '=', `p${String(i).padStart(2, '0')}`)
              .execute()
          }),
    ).map(async (write, i) => {
      await write
      expect(committedProjects(dataDir)).toContain(`p${String(i).padStart(2, '0')}`)
    }),
  )
  expect(committedProjects(dataDir)).toHaveLength(20)
  const renamed = await store.db.selectFrom('projects').select('id').where('name', '=', 'renamed').execute()
  expect(renamed).toHaveLength(10)
})

test('a failing write undoes only itself, with its error; the writes grouped with it stand', async () => {
  const { store, dataDir } = await open()
  await store.db.insertInto('projects').values(project('taken')).execute()
  const results = await Promise.allSettled([
    store.db.insertInto('projects').values(project('a')).execute(),
    store.db.transaction().execute(async (tx) => {
      await tx.insertInto('projects').values(project('b')).execute()
      await tx.insertInto('projects').values(project('taken')).execute()
    }),
    store.db.insertInto('projects').values(project('taken')).execute(),
    store.db.insertInto('projects').values(project('c')).execute(),
  ])
  expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled'])
  const reason = (results[2] as PromiseRejectedResult).reason as Error & { code?: string }
  expect(reason.message).toMatch(/UNIQUE constraint failed: projects.id/)
  expect(reason.code).toBe('SQLITE_CONSTRAINT_PRIMARYKEY')
  expect(committedProjects(dataDir)).toEqual(['a', 'c', 'taken'])
})

test('a transaction holds the connection: nothing else lands inside it, and its rollback keeps the others', async () => {
  const { store } = await open()
  let outside: Promise<unknown> | undefined
  await expect(
    store.db.transaction().execute(async (tx) => {
      await tx.insertInto('projects').values(project('inside')).execute()
      // Sent while the transaction is open: it must not be part of it, nor be rolled back with it.
      outside = store.db.insertInto('projects').values(project('outside')).execute()
      await new Promise((resolve) => setTimeout(resolve, 20))
      expect(await tx.selectFrom('projects').select('id').execute()).toEqual([{ id: 'inside' }])
      throw new Error('roll back')
    }),
  ).rejects.toThrow('roll back')
  await outside
  expect(await store.db.selectFrom('projects').select('id').execute()).toEqual([{ id: 'outside' }])
})

test('closing commits what was written; the file opens again on the event loop with it all', async () => {
  const { store, dataDir } = await open()
  const writes = Array.from({ length: 50 }, (_, i) =>
    store.db
      .insertInto('projects')
      .values(project(`q${i}`))
      .execute(),
  )
  await Promise.all(writes)
  await store.close()
  stores.splice(0)
  const again = await openStorage({ dataDir, secrets })
  stores.push(again)
  const count = await again.db
    .selectFrom('projects')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst()
  expect(count?.n).toBe(50)
  await expect(store.db.selectFrom('projects').selectAll().execute()).rejects.toThrow(/destroyed|closed/)
})
