import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ensurePrivateDir, tightenFile, writeNewPrivateFile } from './private-files.ts'
import { SecretBox } from './secret-box.ts'

/** The generated master key's file in the data dir, when `HOOKLINE_MASTER_KEY` is unset. */
export const MASTER_KEY_FILE = 'master.key'

/**
 * The key that seals webhook and listener secrets: `HOOKLINE_MASTER_KEY` (32 bytes, base64 or hex:
 * `openssl rand -base64 32`) when set, else `<dataDir>/master.key`, generated on first start (0600).
 * Several relays sharing one PostgreSQL database need the same key: set it on every node.
 * `previous` (`HOOKLINE_MASTER_KEY_PREVIOUS`) are keys being replaced: they only open.
 */
export function loadMasterKey(
  dataDir: string,
  fromEnv: string | undefined,
  previous: readonly string[] = [],
): SecretBox {
  const old = previous.map((text) => parseMasterKey('HOOKLINE_MASTER_KEY_PREVIOUS', text))
  if (fromEnv) return new SecretBox(parseMasterKey('HOOKLINE_MASTER_KEY', fromEnv), 'HOOKLINE_MASTER_KEY', old)
  const file = join(dataDir, MASTER_KEY_FILE)
  ensurePrivateDir(dataDir)
  let text: string
  try {
    text = readFileSync(file, 'utf8')
    tightenFile(file)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    text = randomBytes(32).toString('base64') + '\n'
    try {
      writeNewPrivateFile(file, text)
    } catch (raced) {
      // Another relay on this data dir made it first: use that one.
      if ((raced as NodeJS.ErrnoException).code !== 'EEXIST') throw raced
      text = readFileSync(file, 'utf8')
    }
  }
  return new SecretBox(parseMasterKey(file, text), file, old)
}

/** 32 bytes from base64 (44 characters) or hex (64). */
export function parseMasterKey(name: string, text: string): Buffer {
  const trimmed = text.trim()
  const bytes = /^[0-9a-fA-F]{64}$/.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : /^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)
      ? Buffer.from(trimmed, 'base64')
      : null
  if (bytes?.length !== 32) {
    throw new Error(
      `${name} must be 32 random bytes in base64 or hex, like the output of "openssl rand -base64 32" (got ${trimmed.length} characters).`,
    )
  }
  return bytes
}
