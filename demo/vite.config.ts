import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

// The dashboard is a Preact single-page app (index.html). The prototype in public/prototype/ is
// copied as it is: it is plain HTML wired by the SDK's script tag, as a designer would write it.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact', development: false } },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
})
