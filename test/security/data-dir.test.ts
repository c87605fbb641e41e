import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestRelay, testEvent } from '../helpers/relay.ts'

// Issue 10, "secrets on disk": hookline.db was 0644 in a 0755 directory, and the generated admin
// token sat in a plain file. The data dir is 0700 and every file in it 0600 whatever the umask, an
// older relay's looser files are tightened, and of the generated admin token only a hash is kept.

const root = mkdtempSync(join(tmpdir(), 'hookline-data-dir-'))
let umask: number
beforeAll(() => {
  // The loosest umask: nothing is taken away at creation, so only the relay's own modes count.
  umask = process.umask(0)
})
afterAll(() => {
  process.umask(umask)
  rmSync(root, { recursive: true, force: true })
})

const mode = (path: string) => statSync(path).mode & 0o777

/** A relay with a generated admin token and key file (nothing given by option), on `dataDir`. */
const start = (dataDir: string) => startTestRelay({ dataDir, adminToken: undefined, masterKey: undefined })

function expectPrivate(dataDir: string): void {
  expect(mode(dataDir).toString(8)).toBe('700')
  const files = readdirSync(dataDir)
  for (const name of ['hookline.db', 'hookline.db-wal', 'hookline.db-shm', 'master.key', 'admin-token.sha256'])
    expect(files).toContain(name)
  for (const name of files) expect(`${name} ${mode(join(dataDir, name)).toString(8)}`).toBe(`${name} 600`)
}

describe('the data dir', () => {
  it('is created 0700, with the database, its WAL, the master key and the admin token hash 0600, under umask 0', async () => {
    const dataDir = join(root, 'fresh', 'nested')
    const relay = await start(dataDir)
    try {
      const { keys } = await relay.createProject()
      expect((await relay.ingest(keys.test, [testEvent()])).status).toBe(202)
      expectPrivate(dataDir)
    } finally {
      await relay.close()
    }
  })

  it("tightens an older relay's 0755 directory and 0644 files", async () => {
    const dataDir = join(root, 'old')
    const first = await start(dataDir)
    await first.close()
    chmodSync(dataDir, 0o755)
    for (const name of readdirSync(dataDir)) chmodSync(join(dataDir, name), 0o644)
    // The WAL and its index, as a relay killed mid-write leaves them.
    writeFileSync(join(dataDir, 'hookline.db-wal'), '')
    chmodSync(join(dataDir, 'hookline.db-wal'), 0o644)
    const again = await start(dataDir)
    try {
      const { keys } = await again.createProject()
      expect((await again.ingest(keys.test, [testEvent()])).status).toBe(202)
      expectPrivate(dataDir)
    } finally {
      await again.close()
    }
  })
})

describe('the generated admin token', () => {
  it('is accepted, but only its SHA-256 is on disk; later starts still give code in the process admin rights', async () => {
    const dataDir = join(root, 'token')
    const first = await start(dataDir)
    const printed = first.adminToken
    expect(first.context.config.adminTokenGenerated).toBe(true)
    try {
      expect((await first.admin('GET', '/v1/projects')).status).toBe(200)
    } finally {
      await first.close()
    }
    const onDisk = Buffer.concat(readdirSync(dataDir).map((name) => readFileSync(join(dataDir, name))))
    expect(onDisk.includes(printed)).toBe(false)
    expect(onDisk.includes(printed.slice('hl_admin_'.length))).toBe(false)

    const again = await start(dataDir)
    try {
      expect(again.context.config.adminTokenGenerated).toBe(false)
      // The printed token still works, and so does the one this process was handed (the demo's proxy uses it).
      const withPrinted = await again.request('/v1/projects', { headers: { authorization: `Bearer ${printed}` } })
      expect(withPrinted.status).toBe(200)
      expect(again.adminToken).not.toBe(printed)
      expect((await again.admin('GET', '/v1/projects')).status).toBe(200)
      const hash = readFileSync(join(dataDir, 'admin-token.sha256'), 'utf8').trim()
      const withHash = await again.request('/v1/projects', { headers: { authorization: `Bearer ${hash}` } })
      expect(withHash.status).toBe(401)
    } finally {
      await again.close()
    }
  })

  it("turns an older relay's plaintext admin-token file into its hash, and the token keeps working", async () => {
    const dataDir = join(root, 'legacy')
    mkdirSync(dataDir, { recursive: true })
    const token = 'hl_admin_from-an-older-relay-0123456789'
    writeFileSync(join(dataDir, 'admin-token'), token + '\n', { mode: 0o644 })
    const relay = await start(dataDir)
    try {
      expect(relay.context.config.adminTokenGenerated).toBe(false)
      expect(existsSync(join(dataDir, 'admin-token'))).toBe(false)
      const res = await relay.request('/v1/projects', { headers: { authorization: `Bearer ${token}` } })
      expect(res.status).toBe(200)
      expect(readFileSync(join(dataDir, 'admin-token.sha256'), 'utf8')).not.toContain(token)
    } finally {
      await relay.close()
    }
  })
})
