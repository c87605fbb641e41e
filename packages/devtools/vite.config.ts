import { defineConfig } from 'vite'

// The script-tag build: one self-contained IIFE (Preact and nanostores inside) that sets
// `window.HooklineDevtools = { mount }`, loaded by the SDK's IIFE from beside hookline.js.
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact', development: false } },
  // Bundled dependencies (nanostores) read NODE_ENV; a script tag has no `process`.
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    lib: {
      entry: 'src/iife.ts',
      name: 'HooklineDevtools',
      formats: ['iife'],
      fileName: () => 'hookline-devtools.js',
    },
  },
})
