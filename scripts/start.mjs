// `npm start`: builds the SDK, the devtools and the demo, then runs the relay (dev mode, SQLite in
// ./.hookline), the mock fulfillment service and the demo server, and prints the one URL to open.
// Ports: HOOKLINE_PORT (relay, 8787), HOOKLINE_DEMO_PORT (5173), HOOKLINE_MOCK_PORT (8788).
import { execFileSync } from 'node:child_process'
import { register } from 'tsx/esm/api'

const port = (name, fallback) => Number(process.env[name] || fallback)

if (!process.env.HOOKLINE_SKIP_BUILD) {
  console.log('Building the SDK, the devtools panel and the demo…')
  try {
    // Quiet unless it fails: then everything the builds said.
    execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'pipe' })
  } catch (error) {
    console.error(`${error.stdout ?? ''}${error.stderr ?? ''}\nThe build failed; npm start needs it.`)
    process.exit(1)
  }
}

register()
const { startDemo } = await import('@hookline/demo/server')
const demo = await startDemo({
  ports: {
    relay: port('HOOKLINE_PORT', 8787),
    demo: port('HOOKLINE_DEMO_PORT', 5173),
    mock: port('HOOKLINE_MOCK_PORT', 8788),
  },
  relayLog: process.env.HOOKLINE_LOG === '1',
  log: (line) => console.log(line),
}).catch((error) => {
  console.error(`\nnpm start failed: ${error.message}`)
  if (error.code === 'EADDRINUSE')
    console.error('A port is taken: set HOOKLINE_PORT, HOOKLINE_DEMO_PORT or HOOKLINE_MOCK_PORT.')
  process.exit(1)
})

if (demo.adminTokenGenerated) {
  // The relay's admin token, printed once like `npm run relay` does; the dashboard receives it by itself.
  console.log(
    `\nAdmin token (shown once: only its SHA-256 is kept, in ${demo.relay.context.config.dataDir}/admin-token.sha256):\n  ${demo.relay.adminToken}`,
  )
}
console.log(`
Relay          ${demo.relay.url}
Mock service   ${demo.mock.ordersUrl}

Open the demo: ${demo.openUrl}
(the link carries this start's secret: the dashboard's admin proxy answers only the browser that opened it)

Press Ctrl+C to stop.`)

const stop = () => demo.close().then(() => process.exit(0))
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
