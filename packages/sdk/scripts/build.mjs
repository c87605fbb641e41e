// `npm run build -w @hookline/sdk`: the SDK's three builds with Vite's library mode, then its type
// declarations with tsc.
//   dist/hookline.js   IIFE for the script tag, every dependency inside, minified
//   dist/hookline-live.js  its live chunk (stream, frames, project config), which hookline.js loads from beside itself at start
//   dist/loader.js     the loader stub (≤ 1 KB), IIFE, minified
//   dist/hookline.mjs  ESM entry (+ dist/preact.mjs, dist/react.mjs, dist/messages.mjs, the messages' texts
//                      the devtools show, and dist/live.mjs, the live part it
//                      imports lazily), dependencies external, not minified: tree-shakable
//   dist/hookline-devtools.js  the devtools panel's IIFE, which hookline.js loads from beside itself
//   dist/types/        .d.ts files
import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const outDir = process.env.HOOKLINE_SDK_OUT ?? join(root, 'dist')
const src = (file) => join(root, 'src', file)
const production = { 'process.env.NODE_ENV': JSON.stringify('production') }

rmSync(outDir, { recursive: true, force: true })

const common = { root, configFile: false, logLevel: 'warn', publicDir: false }

// Members of the SDK's internal interfaces (queue, sender, transport, tabs, stream, page parts),
// which only code inside the bundle reads: the script-tag build shortens them. Never listed: the
// public API, options, log entries and status (the devtools read them), wire and stored fields,
// messages between tabs (tabs may run other versions), nanostores' members, anything the DOM has
// (terser never renames DOM or builtin names anyway), and the keys of `LiveContext` and `Live`
// (src/live/live.ts), which cross between hookline.js and hookline-live.js, two builds that each
// shorten names their own way.
const INTERNAL = new RegExp(
  `^(${[
    'enqueue',
    'merge',
    'reload',
    'take',
    'peek',
    'release',
    'settled',
    'bytes',
    'storageKind',
    'persist',
    'chunk',
    'stored',
    'flight',
    'left',
    'onStored',
    'onDropped',
    'onChange',
    'setLeader',
    'wake',
    'beacon',
    'onSent',
    'onAcked',
    'onRejected',
    'onRetry',
    'acked',
    'retryAfterMs',
    'streamUrl',
    'sending',
    'post',
    'toSender',
    'rollBack',
    'fanOut',
    'delivery',
    'changes',
    'failed',
    'before',
    'definitions',
    'quietly',
    'destroyed',
    'onVars',
    'onDelivery',
    'onAck',
    'onConfig',
    'onState',
    'onTap',
    'onMutate',
    'onRoute',
    'route',
    'onShow',
    'showing',
    'current',
    'ready',
    'claim',
    'known',
    'ensure',
    'offline',
    'onError',
  ].join('|')})$`,
)

async function iife(entry, fileName) {
  await build({
    ...common,
    define: production,
    build: {
      outDir,
      emptyOutDir: false,
      target: 'es2022',
      // Terser's safe defaults, two passes: about 1% smaller than Vite's default minifier on this bundle.
      minify: 'terser',
      terserOptions: { safari10: false, compress: { passes: 2 }, mangle: { properties: { regex: INTERNAL } } },
      sourcemap: false,
      lib: { entry: src(entry), formats: ['iife'], name: 'HooklineBundle', fileName: () => fileName },
      // Terser takes most of the build's time by design; no need to be told each build.
      rolldownOptions: { checks: { pluginTimings: false } },
    },
  })
}

await iife('script.ts', 'hookline.js')
await iife('live-chunk.ts', 'hookline-live.js')
await iife('loader.ts', 'loader.js')
await build({
  ...common,
  build: {
    outDir,
    emptyOutDir: false,
    target: 'es2022',
    minify: false,
    sourcemap: true,
    lib: {
      entry: {
        hookline: src('index.ts'),
        preact: src('preact.ts'),
        react: src('react.ts'),
        messages: src('messages.ts'),
      },
      formats: ['es'],
      fileName: (_, name) => `${name}.mjs`,
    },
    rollupOptions: {
      // The live part `createHookline` imports lazily (src/live/npm.ts), and what it shares with the
      // entry: dist/hookline-live.mjs, dist/hookline-backoff.mjs.
      output: { chunkFileNames: 'hookline-[name].mjs' },
      // Every dependency and peer stays an import, declared in package.json: the app's bundler
      // dedupes them, and splits @hookline/devtools into the lazy chunk `hl.devtools()` loads.
      external: [
        /^nanostores/,
        /^idb-keyval/,
        /^@hookline\/(protocol|devtools)/,
        /^preact/,
        /^react/,
        /^@nanostores\/(preact|react)/,
      ],
    },
  },
})

// The script tag's devtools chunk, beside hookline.js in the same folder, from the devtools' own config.
const devtools = join(root, '../devtools')
await build({
  root: devtools,
  configFile: join(devtools, 'vite.config.ts'),
  logLevel: 'warn',
  build: { outDir, emptyOutDir: false },
})

if (!process.argv.includes('--no-types')) {
  execFileSync(
    process.execPath,
    [
      join(root, '../../node_modules/typescript/bin/tsc'),
      '-p',
      join(root, 'tsconfig.build.json'),
      '--outDir',
      join(outDir, 'types'),
    ],
    { stdio: 'inherit' },
  )
}
