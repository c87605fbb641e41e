#!/usr/bin/env node
import { startRelay } from './server.ts'

const USAGE = `Usage: hookline-relay start [--dev] [--port N] [--host H] [--data-dir DIR]

Configuration by environment: HOOKLINE_PORT (8787), HOOKLINE_HOST (127.0.0.1),
HOOKLINE_DATA_DIR (./.hookline), DATABASE_URL (postgres://… switches to PostgreSQL),
HOOKLINE_ADMIN_TOKEN (generated and printed on first start when unset; only its hash is kept),
HOOKLINE_MASTER_KEY (seals webhook and listener secrets; else <data dir>/master.key), HOOKLINE_ALLOW_HOSTS,
HOOKLINE_DEV=1, HOOKLINE_RATE_LIMIT (requests/s[:burst], 50:200), HOOKLINE_EVENT_RATE_LIMIT
(events/s[:burst], 1000:20000), HOOKLINE_AUTH_FAILURE_LIMIT (wrong admin tokens/s[:burst] per
address, 0.2:20), HOOKLINE_SYNC (full|normal), HOOKLINE_METRICS_TOKEN (reads
/metrics; the admin token does too), HOOKLINE_METRICS_PUBLIC=1 (/metrics without a token).
The relay's README lists every setting.`

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv
  if (command !== 'start') {
    console.error(USAGE)
    process.exit(command === undefined || command === '--help' || command === '-h' ? 0 : 2)
  }
  const options: Parameters<typeof startRelay>[0] = {}
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i]
    const value = () => {
      const next = rest[++i]
      if (next === undefined) throw new Error(`${flag} needs a value.`)
      return next
    }
    if (flag === '--dev') options.dev = true
    else if (flag === '--port') options.port = Number(value())
    else if (flag === '--host') options.host = value()
    else if (flag === '--data-dir') options.dataDir = value()
    else throw new Error(`Unknown option ${flag}.\n${USAGE}`)
  }
  const relay = await startRelay(options)
  if (relay.context.config.adminTokenGenerated) {
    // Printed once, to the terminal; only its hash is kept (in the data dir), never a log line.
    process.stderr.write(
      `\nAdmin token (shown once: only its SHA-256 is kept, in ${relay.context.config.dataDir}/admin-token.sha256;` +
        ` delete that file and restart for a new one):\n  ${relay.adminToken}\n\n`,
    )
  }
  process.stderr.write(`Hookline relay on ${relay.url}\n`)
  const stop = () => void relay.close().then(() => process.exit(0))
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`hookline-relay: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
