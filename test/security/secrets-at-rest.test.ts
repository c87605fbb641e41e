import { randomBytes } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import SQLite from 'better-sqlite3'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newId, sign, verify } from '@hookline/protocol'
import { startEndpoint, type TestEndpoint } from '../helpers/endpoint.ts'
import { POSTGRES_SERVER, postgresSchema } from '../helpers/postgres.ts'
import { startTestRelay, testEvent, type TestRelay } from '../helpers/relay.ts'

// Issue 10, "secrets on disk": webhook and listener secrets were plaintext in hookline.db, so any
// local user could sign as the relay or forge inbound webhooks. They are sealed under the master
// key now; a store written by an older relay is sealed by migration 0061. Each store is read raw:
// the database files byte by byte (SQLite), the rows as PostgreSQL holds them.

let endpoint: TestEndpoint
const pgSchema = postgresSchema('secrets_at_rest')

beforeAll(async () => {
  endpoint = await startEndpoint()
})
afterAll(async () => {
  await endpoint.close()
  await pgSchema.drop()
})

/** What a store holds, as anyone who can read it would see it. */
interface RawStore {
  /** Everything readable: the files' bytes, or every secret column's text. */
  dump(): Promise<Buffer>
  /** Puts secrets back in the clear and forgets 0061, as a relay before this change left them. */
  unseal(
    clear: { webhookId: string; secret: string; previous: string } | { listenerId: string; secret: string },
  ): Promise<void>
  forget0061(): Promise<void>
}

function sqliteStore(dataDir: string): RawStore {
  const withDb = (work: (db: SQLite.Database) => void): Promise<void> => {
    const db = new SQLite(join(dataDir, 'hookline.db'))
    try {
      work(db)
    } finally {
      db.close()
    }
    return Promise.resolve()
  }
  return {
    dump: () =>
      Promise.resolve(
        Buffer.concat(
          readdirSync(dataDir)
            .filter((name) => name.startsWith('hookline.db'))
            .map((name) => readFileSync(join(dataDir, name))),
        ),
      ),
    unseal: (clear) =>
      withDb((db) => {
        if ('webhookId' in clear)
          db.prepare('UPDATE webhooks SET secret = ?, previous_secret = ? WHERE id = ?').run(
            clear.secret,
            clear.previous,
            clear.webhookId,
          )
        else db.prepare('UPDATE listeners SET secret = ? WHERE id = ?').run(clear.secret, clear.listenerId)
      }),
    forget0061: () =>
      withDb((db) => {
        db.prepare("DELETE FROM kysely_migration WHERE name = '0061_seal_secrets'").run()
      }),
  }
}

function postgresStore(databaseUrl: string): RawStore {
  const schema = new URL(databaseUrl).searchParams.get('schema') ?? ''
  const run = async (text: string, values: unknown[] = []) => {
    const server = new URL(POSTGRES_SERVER)
    if (!server.username) server.username = process.env.PGUSER ?? userInfo().username
    const client = new pg.Client({ connectionString: server.toString(), options: `-c search_path=${schema}` })
    await client.connect()
    try {
      return (await client.query(text, values)).rows as Record<string, unknown>[]
    } finally {
      await client.end()
    }
  }
  return {
    dump: async () => {
      const rows = [
        ...(await run('SELECT row_to_json(w)::text AS row FROM webhooks w')),
        ...(await run('SELECT row_to_json(l)::text AS row FROM listeners l')),
      ]
      return Buffer.from(rows.map((row) => String(row.row)).join('\n'))
    },
    unseal: async (clear) => {
      if ('webhookId' in clear)
        await run('UPDATE webhooks SET secret = $1, previous_secret = $2 WHERE id = $3', [
          clear.secret,
          clear.previous,
          clear.webhookId,
        ])
      else await run('UPDATE listeners SET secret = $1 WHERE id = $2', [clear.secret, clear.listenerId])
    },
    forget0061: async () => {
      await run("DELETE FROM kysely_migration WHERE name = '0061_seal_secrets'")
    },
  }
}

/** The secret in every form a reader could use it: as shown, and its key bytes without the prefix. */
function expectNowhere(dump: Buffer, secrets: string[]): void {
  for (const secret of secrets) {
    expect(dump.includes(secret), `${secret.slice(0, 10)}… in the clear`).toBe(false)
    expect(dump.includes(secret.slice('whsec_'.length))).toBe(false)
    expect(dump.includes(Buffer.from(secret.slice('whsec_'.length), 'base64'))).toBe(false)
  }
}

interface Made {
  projectId: string
  key: string
  webhookId: string
  /** The webhook's secret now, and the one it had before a rotation. */
  secret: string
  previous: string
  listener: { id: string; url: string; secret: string }
}

async function make(relay: TestRelay): Promise<Made> {
  const { projectId, keys } = await relay.createProject()
  const created = await relay.createWebhook(projectId, { url: endpoint.url })
  const rotated = await relay.admin('POST', `/v1/projects/${projectId}/webhooks/${created.webhook.id}/rotate-secret`)
  expect(rotated.status).toBe(200)
  const listener = await relay.admin('POST', `/v1/projects/${projectId}/listeners`, {
    name: 'orders',
    set: { orderStatus: '$.status' },
  })
  expect(listener.status).toBe(201)
  return {
    projectId,
    key: keys.test,
    webhookId: created.webhook.id,
    secret: rotated.body.secret,
    previous: created.secret,
    listener: { id: listener.body.listener.id, url: listener.body.listener.url, secret: listener.body.secret },
  }
}

/** Signing and verification still work with the secrets as shown: a delivery verifies, an inbound webhook is taken. */
async function expectSecretsWork(relay: TestRelay, made: Made): Promise<void> {
  endpoint.requests.length = 0
  const event = testEvent()
  expect((await relay.ingest(made.key, [event])).status).toBe(202)
  const [delivered] = await endpoint.waitFor((requests) => requests.some((r) => r.body.includes(event.id)))
  expect(delivered).toBeDefined()
  const got = endpoint.requests.find((r) => r.body.includes(event.id))!
  expect((await verify(made.secret, got.headers, got.body)).ok).toBe(true)
  // Within the rotation's overlap the old secret verifies too.
  expect((await verify(made.previous, got.headers, got.body)).ok).toBe(true)

  const text = JSON.stringify({ status: 'shipped' })
  const headers = await sign(made.listener.secret, newId('msg'), Math.floor(Date.now() / 1000), text)
  const taken = await relay.request(made.listener.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: text,
  })
  expect(taken.status).toBe(202)
  const forged = await sign(
    'whsec_' + randomBytes(24).toString('base64'),
    newId('msg'),
    Math.floor(Date.now() / 1000),
    text,
  )
  const refused = await relay.request(made.listener.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...forged },
    body: text,
  })
  expect(refused.status).toBe(401)
}

const stores = [
  { name: 'SQLite', options: () => ({}), raw: (relay: TestRelay) => sqliteStore(relay.dataDir) },
  {
    name: 'PostgreSQL',
    options: () => ({ databaseUrl: pgSchema.databaseUrl }),
    raw: () => postgresStore(pgSchema.databaseUrl),
  },
]

describe.each(stores)('secrets at rest on $name', ({ options, raw }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hookline-secrets-'))
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }))
  let made: Made

  it('stores webhook and listener secrets sealed: none is in the clear, and signing and verifying work', async () => {
    const relay = await startTestRelay({ ...options(), dataDir })
    try {
      made = await make(relay)
      await expectSecretsWork(relay, made)
    } finally {
      await relay.close()
    }
    const dump = await raw(relay).dump()
    expectNowhere(dump, [made.secret, made.previous, made.listener.secret])
    expect(dump.includes('hlenc1.')).toBe(true)
  })

  it('migration 0061 seals what an older relay stored in the clear, and the secrets still work', async () => {
    const store = raw({ dataDir } as TestRelay)
    await store.unseal({ webhookId: made.webhookId, secret: made.secret, previous: made.previous })
    await store.unseal({ listenerId: made.listener.id, secret: made.listener.secret })
    await store.forget0061()
    // The test can fail: the clear secrets are there before the upgrade.
    expect((await store.dump()).includes(made.listener.secret)).toBe(true)

    const relay = await startTestRelay({ ...options(), dataDir })
    try {
      expectNowhere(await store.dump(), [made.secret, made.previous, made.listener.secret])
      await expectSecretsWork(relay, made)
    } finally {
      await relay.close()
    }
    expectNowhere(await store.dump(), [made.secret, made.previous, made.listener.secret])
  })

  it('refuses to start under another master key, naming both keys', async () => {
    const other = randomBytes(32).toString('base64')
    await expect(startTestRelay({ ...options(), dataDir, masterKey: other })).rejects.toThrow(
      /sealed under master key \S+, but this relay's key \(HOOKLINE_MASTER_KEY\) is/,
    )
  })
})

describe('the master key', () => {
  it('comes from HOOKLINE_MASTER_KEY when set: no key file is made, and a restart with it opens the secrets', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hookline-master-'))
    const masterKey = randomBytes(32).toString('hex')
    try {
      const first = await startTestRelay({ dataDir, masterKey })
      const made = await make(first)
      await first.close()
      expect(readdirSync(dataDir)).not.toContain('master.key')
      const again = await startTestRelay({ dataDir, masterKey })
      try {
        await expectSecretsWork(again, made)
      } finally {
        await again.close()
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true })
    }
  })

  it('changes: with the old key in HOOKLINE_MASTER_KEY_PREVIOUS every secret is sealed again under the new one', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hookline-master-change-'))
    const [oldKey, newKey] = [randomBytes(32).toString('base64'), randomBytes(32).toString('base64')]
    try {
      const first = await startTestRelay({ dataDir, masterKey: oldKey })
      const made = await make(first)
      await first.close()
      const before = await sqliteStore(dataDir).dump()
      // Without the old key the new one opens nothing: the relay says so rather than start.
      await expect(startTestRelay({ dataDir, masterKey: newKey })).rejects.toThrow(/sealed under master key/)
      const changing = await startTestRelay({ dataDir, masterKey: newKey, previousMasterKeys: [oldKey] })
      try {
        await expectSecretsWork(changing, made)
      } finally {
        await changing.close()
      }
      // Sealed again: the new key alone opens everything, the old one nothing.
      const after = await startTestRelay({ dataDir, masterKey: newKey })
      try {
        await expectSecretsWork(after, made)
      } finally {
        await after.close()
      }
      await expect(startTestRelay({ dataDir, masterKey: oldKey })).rejects.toThrow(/sealed under master key/)
      expectNowhere(await sqliteStore(dataDir).dump(), [made.secret, made.previous, made.listener.secret])
      expect(before.equals(await sqliteStore(dataDir).dump())).toBe(false)
    } finally {
      rmSync(dataDir, { recursive: true, force: true })
    }
  })

  it('refuses a malformed HOOKLINE_MASTER_KEY with a sentence naming it', async () => {
    await expect(startTestRelay({ masterKey: 'hunter2' })).rejects.toThrow(
      /HOOKLINE_MASTER_KEY must be 32 random bytes in base64 or hex/,
    )
  })
})
