// The files scripts/pack-check.mjs writes into its scratch folders: what a user outside the
// repository writes against the installed packages.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** A Node program on the relay and the client, type-checked: their .d.ts must resolve without the sources. */
export function writeServerTypeCheck(dir) {
  writeFileSync(
    join(dir, 'check.ts'),
    `import { startRelay, type RunningRelay } from '@hookline/relay'
import { createClient, HooklineApiError, type HooklineClient } from '@hookline/client'
import type { Json, WebhookCreated } from '@hookline/protocol'
export async function check(): Promise<WebhookCreated> {
  const relay: RunningRelay = await startRelay({ port: 0, dev: true })
  const client: HooklineClient = createClient({ baseUrl: relay.url, token: relay.adminToken })
  const { project } = await client.projects.create({ name: 'x' })
  const created = await client.webhooks.create(project.id, { name: 'x', url: 'http://127.0.0.1:1', events: ['*'] })
  if (created.webhook.status === 'paused') throw new HooklineApiError(0, 'x', 'x')
  return created
}
// Protocol types stay real types: undefined is not JSON (an 'any' here would let it through).
// @ts-expect-error undefined is not Json
export const notJson: Json = undefined
`,
  )
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        lib: ['ES2023'],
        types: ['node'],
        strict: true,
        skipLibCheck: false,
        noEmit: true,
      },
      files: ['check.ts'],
    }),
  )
}

/** `import { startRelay } from '@hookline/relay'` under plain node: start, answer, stop. */
export function writeEmbeddedStart(dir) {
  writeFileSync(
    join(dir, 'embedded.mjs'),
    `import { startRelay } from '@hookline/relay'
const relay = await startRelay({ port: 0, dev: true, dataDir: process.argv[2], adminToken: 'embedded-admin-token-0123456789' })
const answer = await fetch(relay.url + '/v1/openapi.json')
const document = await answer.json()
await relay.close()
if (!answer.ok || !String(document.openapi).startsWith('3.1')) throw new Error('no OpenAPI document: ' + answer.status)
console.log('startRelay() under plain node served OpenAPI ' + document.openapi)
`,
  )
}

/**
 * The 10-line script a user writes, on the installed @hookline/client: a project, its config, a
 * webhook, and a bad request that must throw HooklineApiError with the status, code and sentence.
 */
export function writeClientSetup(dir) {
  writeFileSync(
    join(dir, 'setup.mjs'),
    `import { createClient, HooklineApiError } from '@hookline/client'
const hookline = createClient({ baseUrl: process.argv[2], token: process.env.HOOKLINE_ADMIN_TOKEN })
const { project, keys } = await hookline.projects.create({ name: 'Shop' })
await hookline.config.put(project.id, { events: [{ name: 'checkout-completed', optimistic: { orderStatus: 'pending' } }], variables: { orderStatus: 'none' } })
const { webhook, secret } = await hookline.webhooks.create(project.id, { name: 'CRM', url: process.argv[3], events: ['*'] })
const refused = await hookline.webhooks.create(project.id, { name: 'x', url: 'not a url', events: [] }).catch((error) => error)
if (!(refused instanceof HooklineApiError) || refused.status !== 400 || refused.code !== 'invalid_input') throw refused
console.log(JSON.stringify({ key: keys.test, webhookId: webhook.id, secret, refused: refused.message }))
`,
  )
}

/** A static prototype on the script-tag build, as docs/guides/script-tag.md wires it. */
export function writePrototype(dir, { relay, key }) {
  writeFileSync(
    join(dir, 'index.html'),
    `<!doctype html>
<title>prototype</title>
<script src="hookline.js" data-relay="${relay}" data-key="${key}" async></script>
<button id="tap" data-hl-event="prototype-tap" data-hl-props='{"sku":"A1"}'>Add to cart</button>
<button id="devtools" onclick="hookline.devtools()">Event log</button>
`,
  )
}
