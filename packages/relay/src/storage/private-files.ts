import { chmodSync, closeSync, mkdirSync, openSync, statSync, writeFileSync } from 'node:fs'

// The data dir holds the database, the master key and the admin token's hash: nobody but the
// relay's user may read them, whatever the umask (a umask only takes bits away at creation, and
// files made before this version kept 0644 in a 0755 directory).

/** Creates `dir` (and its parents) if missing, then makes it 0700. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  tighten(dir, 0o700)
}

/** Makes an existing file 0600; a file that is not there is left alone. */
export function tightenFile(file: string): void {
  tighten(file, 0o600)
}

/** Creates `file` empty and 0600 unless it exists, then makes it 0600: for files another library opens. */
export function touchPrivateFile(file: string): void {
  closeSync(openSync(file, 'a', 0o600))
  chmodSync(file, 0o600)
}

/** Writes a new file, 0600, failing if it exists (two relays starting at once do not overwrite each other). */
export function writeNewPrivateFile(file: string, text: string): void {
  writeFileSync(file, text, { mode: 0o600, flag: 'wx' })
  chmodSync(file, 0o600)
}

function tighten(path: string, mode: number): void {
  let current: number
  try {
    current = statSync(path).mode & 0o777
  } catch {
    return
  }
  if (current === mode) return
  try {
    chmodSync(path, mode)
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new Error(
      `Cannot make ${path} private (mode ${mode.toString(8)}): ${reason}. Give the relay a data dir its own user owns.`,
      { cause: error },
    )
  }
}
