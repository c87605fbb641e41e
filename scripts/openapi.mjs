// Writes docs/openapi.json, the relay's OpenAPI document, from the schemas its routes validate with.
// `npm run build` runs it; the relay's openapi.test.ts fails while the committed copy is not current.
import { readFileSync, writeFileSync } from 'node:fs'
import { tsImport } from 'tsx/esm/api'

const { openApiDocument } = await tsImport('../packages/relay/src/openapi/document.ts', import.meta.url)
const { version } = JSON.parse(readFileSync(new URL('../packages/relay/package.json', import.meta.url), 'utf8'))
writeFileSync(
  new URL('../docs/openapi.json', import.meta.url),
  JSON.stringify(openApiDocument(version), null, 2) + '\n',
)
