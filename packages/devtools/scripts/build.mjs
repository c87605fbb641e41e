// `npm run build -w @hookline/devtools`:
//   dist/hookline-devtools.js  the IIFE for the script tag (vite.config.ts), everything inside
//   dist/index.mjs, tokens.mjs, link.mjs ESM for bundlers, the SDK's lazy chunk. Preact is inside: a React app
//                              that opens the panel installs no UI library for it; nanostores and
//                              @hookline/* stay imports, shared with the SDK
//   dist/types/                .d.ts files of the entry points and what they import: the Preact
//                              components' are left out (they would import preact, which is bundled,
//                              not a dependency)
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'
import { emitTypes } from './types.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const outDir = join(root, 'dist')

await build({ root, configFile: join(root, 'vite.config.ts'), logLevel: 'warn' })
await build({
  root,
  configFile: false,
  logLevel: 'warn',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact', development: false } },
  build: {
    outDir,
    emptyOutDir: false,
    target: 'es2022',
    minify: false,
    sourcemap: true,
    lib: {
      entry: {
        index: join(root, 'src/index.ts'),
        tokens: join(root, 'src/tokens.ts'),
        link: join(root, 'src/link/index.ts'),
      },
      formats: ['es'],
      fileName: (_, name) => `${name}.mjs`,
    },
    rollupOptions: { external: [/^nanostores/, /^@hookline\//] },
  },
})
if (!process.argv.includes('--no-types')) emitTypes(join(outDir, 'types'))
