import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { beforeAll, describe, expect, it } from 'vitest'
import { ensureSdkBuild, SDK_DIST } from './sdk-harness.ts'

// The SDK's size budget, checked on the built files. Change a figure only together with the code
// that moved it, and say so in the commit (packages/sdk/README.md, "Size").
const BUDGET = {
  /** dist/hookline.js, the script tag, with every dependency inside (gzip -9): 10,573 B. The aim is 10 KB.
   *  Raised from 10.3 KB by 53 B for refetching the project config on visibility and stream reopen, then
   *  by 800 B for session tokens (claim before the first send, tokens in every batch, beacon and stream):
   *  11,292 B. */
  iifeGzip: 11_400,
  /** dist/loader.js, raw: the stub must stay under 1 KB as it is. */
  loaderRaw: 1024,
  /** createHookline + track from dist/hookline.mjs bundled with its dependencies (devtools stays a lazy chunk). */
  esmGzip: 11_750, // 11,645 B; raised from 10.6 KB by 46 B with the IIFE, then by 850 B for session tokens
}

const gzip = (bytes: Uint8Array | string) => gzipSync(bytes, { level: 9 }).length

describe('SDK size budget', () => {
  beforeAll(() => ensureSdkBuild())

  it(`dist/hookline.js is at most ${BUDGET.iifeGzip} bytes gzipped`, () => {
    const size = gzip(readFileSync(join(SDK_DIST, 'hookline.js')))
    console.log(`hookline.js: ${size} B gzipped`)
    expect(size).toBeLessThanOrEqual(BUDGET.iifeGzip)
  })

  it(`dist/loader.js is at most ${BUDGET.loaderRaw} bytes`, () => {
    expect(readFileSync(join(SDK_DIST, 'loader.js')).length).toBeLessThanOrEqual(BUDGET.loaderRaw)
  })

  it(`the ESM entry, bundled and minified with its dependencies, is at most ${BUDGET.esmGzip} bytes gzipped`, async () => {
    const result = await build({
      stdin: {
        contents: `import { createHookline } from ${JSON.stringify(join(SDK_DIST, 'hookline.mjs'))}\ncreateHookline({ relay: 'http://x', key: 'pk_test_x' }).track('a')`,
        resolveDir: SDK_DIST,
      },
      bundle: true,
      minify: true,
      format: 'esm',
      write: false,
      external: ['@hookline/devtools'],
      logLevel: 'silent',
    })
    const size = gzip(result.outputFiles[0]!.contents)
    console.log(`ESM entry: ${size} B gzipped`)
    expect(size).toBeLessThanOrEqual(BUDGET.esmGzip)
  })
})
