// (a) Size: what each SDK costs a page in gzipped bytes, bundled the same way for all.
//
// Every SDK gets an entry that calls its init and one track (size-entries/*.ts), bundled by esbuild
// (minified, browser platform, ESM with code splitting). Splitting lets us separate what a page
// must download before the first event (the entry and its static imports) from chunks loaded
// lazily by import(). The ratio is taken on the sum of both: Segment's entry is a 2 KB stub that
// import()s its core on load, so the initial set alone would flatter it. Our IIFE is measured as shipped
// (packages/sdk/dist/hookline.js, which carries its dependencies). Each file is gzipped on its
// own at zlib level 9, as a server would send it.
import { build, type Metafile } from 'esbuild'
import { readFileSync } from 'node:fs'
import { isAbsolute, join, relative } from 'node:path'
import { gzipSync } from 'node:zlib'
import ts from 'typescript'
import {
  BENCH_DIR,
  ROOT,
  SCRATCH_DIR,
  SDK_ESM,
  SDK_IIFE,
  SDK_IIFE_LIVE,
  SDK_SCRIPT_SOURCE,
  SDK_SOURCE,
  sdkAliases,
} from './paths.ts'
import { kb, ratio, table } from './table.ts'

export interface SizeFigure {
  name: string
  /** Gzipped bytes needed before the first event: the entry chunk and its static imports. */
  initialGzip: number
  /** Gzipped bytes of lazily imported chunks (0 when there are none). */
  lazyGzip: number
  /** Gzipped bytes of everything the bundle holds: initial + lazy. Ratios use this. */
  totalGzip: number
  /** Minified, uncompressed bytes of everything the bundle holds. */
  totalRaw: number
  /** Minified bytes of the initial set by source package, largest first (what to trim). */
  composition: Array<{ source: string; bytes: number }>
}

export interface SizeResult {
  iife: SizeFigure
  esm: SizeFigure
  peers: SizeFigure[]
  table: string
  /** Our ESM entry's initial chunk by source package, as a sentence. */
  composition: string
  /** The same for the IIFE's entry (the script tag), bundled from the sources. */
  iifeComposition: string
  /** Minified bytes of the IIFE (bundled from sources) that are our code vs npm dependencies. */
  iifeOwnBytes: number
  iifeDependencyBytes: number
  /** English messages (warnings, errors) in the shipped IIFE: a lever on its size. */
  messages: { count: number; minified: number; gzipSaved: number }
  smallestPeer: SizeFigure
  met: { iifeUnder10KB: boolean; iifeUnder06xSmallestPeer: boolean }
}

const PEERS: Array<{ name: string; entry: string }> = [
  { name: 'posthog-js', entry: 'posthog.ts' },
  { name: '@segment/analytics-next', entry: 'segment.ts' },
  { name: '@rudderstack/analytics-js', entry: 'rudderstack.ts' },
  { name: '@snowplow/browser-tracker', entry: 'snowplow.ts' },
]

const gzip = (bytes: Uint8Array) => gzipSync(bytes, { level: 9 }).length

/** Bundles one entry and splits its output into what loads up front and what loads lazily. */
async function measureEntry(name: string, entry: string, alias: Record<string, string> = {}): Promise<SizeFigure> {
  const outdir = join(SCRATCH_DIR, 'size', name.replace(/[^a-z0-9]+/gi, '-'))
  const result = await build({
    entryPoints: [isAbsolute(entry) ? entry : join(BENCH_DIR, 'size-entries', entry)],
    absWorkingDir: ROOT,
    bundle: true,
    minify: true,
    platform: 'browser',
    format: 'esm',
    splitting: true,
    target: 'es2020',
    outdir,
    write: false,
    metafile: true,
    logLevel: 'silent',
    alias,
    define: { 'process.env.NODE_ENV': '"production"' },
  })
  const bytesOf = new Map(result.outputFiles.map((file) => [relative(ROOT, file.path), file.contents]))
  const outputs: Metafile['outputs'] = result.metafile.outputs
  const entryOutput = Object.keys(outputs).find((path) => outputs[path]!.entryPoint)
  if (!entryOutput) throw new Error(`esbuild produced no entry output for ${name}`)
  const initial = new Set<string>()
  const visit = (path: string) => {
    if (initial.has(path)) return
    initial.add(path)
    for (const imported of outputs[path]!.imports) if (imported.kind === 'import-statement') visit(imported.path)
  }
  visit(entryOutput)
  const bySource = new Map<string, number>()
  for (const path of initial) {
    for (const [input, { bytesInOutput }] of Object.entries(outputs[path]!.inputs)) {
      const source = sourceOf(input)
      bySource.set(source, (bySource.get(source) ?? 0) + bytesInOutput)
    }
  }
  const composition = [...bySource].map(([source, bytes]) => ({ source, bytes })).sort((a, b) => b.bytes - a.bytes)
  let initialGzip = 0
  let totalRaw = 0
  let lazyGzip = 0
  for (const path of Object.keys(outputs)) {
    if (path.endsWith('.map')) continue
    const bytes = bytesOf.get(path)
    if (!bytes) continue
    totalRaw += bytes.length
    if (initial.has(path)) initialGzip += gzip(bytes)
    else lazyGzip += gzip(bytes)
  }
  return { name, initialGzip, lazyGzip, totalGzip: initialGzip + lazyGzip, totalRaw, composition }
}

/** An npm package by name; our own code by workspace file (sdk/queue.ts), to show what to trim. */
function sourceOf(input: string): string {
  const workspace = /packages\/([^/]+)\/src\/(.+)$/.exec(input)
  if (workspace) return `${workspace[1]}/${workspace[2]}`
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)
  if (inModules) return inModules[1]!
  return input
}

const isOurs = (source: string) => source.startsWith('sdk/') || source.startsWith('protocol/')

function sumWhere(figure: SizeFigure, include: (source: string) => boolean): number {
  return figure.composition.filter(({ source }) => include(source)).reduce((sum, { bytes }) => sum + bytes, 0)
}

function describeComposition(figure: SizeFigure): string {
  return figure.composition
    .filter(({ bytes }) => bytes >= 200)
    .map(({ source, bytes }) => `${source} ${kb(bytes)}`)
    .join(', ')
}

/**
 * Approximates what the human-readable messages cost: string and template literals in the
 * minified file (found by TypeScript's parser) that read as prose — three or more spaces and two
 * lowercase words in a row — and how many gzipped bytes the file would lose without their text.
 * A heuristic, to size a lever, not a figure to compare.
 */
function measureMessages(code: string): { count: number; minified: number; gzipSaved: number } {
  const file = ts.createSourceFile('bundle.js', code, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS)
  const isProse = (text: string) => (text.match(/ /g)?.length ?? 0) >= 3 && /[a-z]{3,} [a-z]{2,} /.test(text)
  const spans: Array<[number, number]> = []
  const visit = (node: ts.Node): void => {
    if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node)
    ) {
      if (isProse(node.text)) spans.push([node.getStart(file), node.end])
    }
    ts.forEachChild(node, visit)
  }
  visit(file)
  // A template's pieces stay valid code when emptied: keep each piece's delimiters, drop its text.
  let stripped = ''
  let at = 0
  let minified = 0
  for (const [from, to] of spans.sort((a, b) => a[0] - b[0])) {
    const raw = code.slice(from, to)
    const open = raw.startsWith('}') ? '}' : raw[0]!
    const close = raw.endsWith('${') ? '${' : raw[raw.length - 1]!
    stripped += code.slice(at, from) + open + close
    minified += raw.length - open.length - close.length
    at = to
  }
  stripped += code.slice(at)
  return { count: spans.length, minified, gzipSaved: gzip(Buffer.from(code)) - gzip(Buffer.from(stripped)) }
}

/** A shipped file as a page loads it first, and the chunks it loads lazily beside it. */
function measureShippedFile(name: string, path: string, lazyPaths: string[] = []): SizeFigure {
  const bytes = readFileSync(path)
  const gzipped = gzip(bytes)
  const lazy = lazyPaths.map((lazyPath) => readFileSync(lazyPath))
  const lazyGzip = lazy.reduce((sum, file) => sum + gzip(file), 0)
  return {
    name,
    initialGzip: gzipped,
    lazyGzip,
    totalGzip: gzipped + lazyGzip,
    totalRaw: lazy.reduce((sum, file) => sum + file.length, bytes.length),
    composition: [],
  }
}

export async function measureSize(): Promise<SizeResult> {
  // The live chunk (stream, frames, config) loads at start beside hookline.js: counted as lazy, as
  // the peers' lazily imported chunks are, and in the total the ratio uses.
  const iife = measureShippedFile('@hookline/sdk IIFE (dist/hookline.js + hookline-live.js, as shipped)', SDK_IIFE, [
    SDK_IIFE_LIVE,
  ])
  // The ESM entry is bundled from the built dist/hookline.mjs, so we measure what npm users get.
  const esm = await measureEntry('@hookline/sdk ESM (createHookline + track)', 'hookline.ts', sdkAliases(SDK_ESM))
  // The same entry bundled from the sources, only to see which files and packages the bytes come
  // from (the built ESM is one file).
  const fromSources = await measureEntry('@hookline/sdk from sources', 'hookline.ts', sdkAliases(SDK_SOURCE))
  const iifeFromSources = await measureEntry('@hookline/sdk script tag from sources', SDK_SCRIPT_SOURCE)
  const peers: SizeFigure[] = []
  for (const peer of PEERS) peers.push(await measureEntry(peer.name, peer.entry))
  const smallestPeer = peers.reduce((a, b) => (b.totalGzip < a.totalGzip ? b : a))
  const rows = [iife, esm, ...peers].map((figure) => [
    figure.name,
    kb(figure.initialGzip),
    figure.lazyGzip ? kb(figure.lazyGzip) : '—',
    kb(figure.totalGzip),
    kb(figure.totalRaw),
    ratio(figure.totalGzip, smallestPeer.totalGzip),
  ])
  return {
    iife,
    esm,
    peers,
    smallestPeer,
    composition: describeComposition(fromSources),
    iifeComposition: describeComposition(iifeFromSources),
    iifeOwnBytes: sumWhere(iifeFromSources, (source) => isOurs(source)),
    iifeDependencyBytes: sumWhere(iifeFromSources, (source) => !isOurs(source)),
    messages: measureMessages(readFileSync(SDK_IIFE, 'utf8')),
    table: table(
      [
        'bundle',
        'gzip, initial',
        'gzip, lazy chunks',
        'gzip, total',
        'minified, total',
        `total ÷ smallest peer (${smallestPeer.name})`,
      ],
      rows,
    ),
    met: {
      // The aim is the script tag a page loads before its first event (issue 13): hookline.js alone.
      iifeUnder10KB: iife.initialGzip <= 10 * 1024,
      iifeUnder06xSmallestPeer: iife.totalGzip <= 0.6 * smallestPeer.totalGzip,
    },
  }
}
