// bench/sdk: size, main-thread cost per track(), and drain rate after going online, each beside
// baselines measured in the same run. `npx tsx bench/sdk/run.ts` (or `npm run bench -- sdk`).
//
// Parts can be picked by name (`… run.ts size track`); counts can be lowered for development with
// HOOKLINE_BENCH_TRACK_CALLS, HOOKLINE_BENCH_ROUNDS, HOOKLINE_BENCH_PEER_ROUNDS,
// HOOKLINE_BENCH_DRAIN_EVENTS and HOOKLINE_BENCH_DRAIN_ROUNDS. BENCHMARKS.md is only rewritten by a
// complete run at the default counts, so a quick run never replaces the real figures.
// HOOKLINE_BENCH_INSPECTED=1 also measures track, paced and tap under Playwright (the Network
// domain on), row by row beside the bare driver's. HOOKLINE_BENCH_COUNTER=thread reads the main
// thread's CPU time (ThreadTime) for track and paced instead of its tasks' wall time (TaskDuration).
import { writeSection } from './benchmarks-md.ts'
import { buildSdk } from './build-sdk.ts'
import { measureDrain, type DrainResult } from './drain.ts'
import { describeMachine } from './machine.ts'
import { measureSize, type SizeResult } from './size.ts'
import { kb, us } from './table.ts'
import { measureTrack, type TrackResult } from './track.ts'
import { profileOurTrack, type ProfileResult } from './profile.ts'
import { measureTap, type TapResult } from './tap.ts'

const DEFAULTS = {
  trackCalls: 10_000,
  rounds: 5,
  peerRounds: 3,
  pacedCalls: 200,
  paceMs: 50,
  drainEvents: 10_000,
  drainRounds: 5,
  taps: 30,
}
const counts = {
  trackCalls: Number(process.env.HOOKLINE_BENCH_TRACK_CALLS ?? DEFAULTS.trackCalls),
  rounds: Number(process.env.HOOKLINE_BENCH_ROUNDS ?? DEFAULTS.rounds),
  peerRounds: Number(process.env.HOOKLINE_BENCH_PEER_ROUNDS ?? DEFAULTS.peerRounds),
  pacedCalls: Number(process.env.HOOKLINE_BENCH_PACED_CALLS ?? DEFAULTS.pacedCalls),
  paceMs: Number(process.env.HOOKLINE_BENCH_PACE_MS ?? DEFAULTS.paceMs),
  drainEvents: Number(process.env.HOOKLINE_BENCH_DRAIN_EVENTS ?? DEFAULTS.drainEvents),
  drainRounds: Number(process.env.HOOKLINE_BENCH_DRAIN_ROUNDS ?? DEFAULTS.drainRounds),
  taps: Number(process.env.HOOKLINE_BENCH_TAPS ?? DEFAULTS.taps),
}
const PARTS = ['size', 'track', 'paced', 'profile', 'drain', 'tap'] as const
const wanted = process.argv
  .slice(2)
  .filter((arg): arg is (typeof PARTS)[number] => (PARTS as readonly string[]).includes(arg))
const parts = wanted.length ? wanted : [...PARTS]
const log = (line: string) => console.log(line)
const metText = (met: boolean) => (met ? '**met**' : '**not met**')

function sizeSection(size: SizeResult): string {
  return `### (a) Size — gzipped (zlib level 9)

${size.table}

Aim: our IIFE ≤ 10 KB gzipped — ${metText(size.met.iifeUnder10KB)} (${kb(size.iife.initialGzip)}, and ${kb(size.iife.lazyGzip)} for its live chunk);
≤ 0.6× the smallest peer (${size.smallestPeer.name}, ${kb(size.smallestPeer.totalGzip)}, so ≤ ${kb(0.6 * size.smallestPeer.totalGzip)}) — ${metText(size.met.iifeUnder06xSmallestPeer)}.
What our IIFE is made of (minified bytes, the script-tag entry bundled by esbuild from the sources, files ≥ 0.2 KB): ${size.iifeComposition}.
What our ESM entry's initial chunk is made of (the same way): ${size.composition}.
English messages (warnings, errors) in the shipped IIFE, found by a heuristic: ${size.messages.count} string literals, ${kb(size.messages.minified)} minified, ${kb(size.messages.gzipSaved)} of its gzipped size.

What bounds it: our own code — ${kb(size.iifeOwnBytes)} of the IIFE's minified bytes are ours (sdk/, protocol/),
${kb(size.iifeDependencyBytes)} are npm dependencies — so the size is ours to trim: the largest files above,
and the messages (${kb(size.messages.gzipSaved)} gzipped).

How: each SDK is bundled by esbuild (minified, browser platform, ESM with code splitting) from an
entry that calls its init and one track/capture (\`bench/sdk/size-entries/\`); "initial" is the
entry chunk and its static imports; "lazy" is what \`import()\` loads (our devtools panel; Segment's
core, which its 2 KB entry imports on load, and its plugins). Ratios and aims use the total, since
an initial figure would flatter Segment. Our IIFE is the shipped
\`packages/sdk/dist/hookline.js\` (dependencies included); our ESM row is bundled from the built
\`dist/hookline.mjs\`. Every file is gzipped on its own at level 9. PostHog and RudderStack also
fetch code at run time from their CDNs (extensions, plugins), which no row counts.`
}

function trackSection(track: TrackResult): string {
  const ours = track.figures.find((figure) => figure.name === '@hookline/sdk')
  return `### (b) Main-thread time per track() — headless Chromium

${track.table}

Aim: synchronous cost ≤ 5 µs a call — ${metText(track.met.under5UsSync)} (${ours?.syncUsPerCall === undefined ? 'n/a' : us(ours.syncUsPerCall)});
main-thread cost including deferred work ≤ 10 µs a call (issue 13) — ${metText(track.met.under10UsMainThread)} (${ours?.mainUsPerCall === undefined ? 'n/a' : us(ours.mainUsPerCall)}).
Requests that tried to leave 127.0.0.1: ${track.escapedRequests.length}.

How: each SDK runs in a fresh context on a page served from 127.0.0.1, all against one stub API on
127.0.0.1 that answers every request at once with 200 (Hookline's \`/v1/events\` gets its ids
acknowledged, others \`{}\`); each gets a fake key and a warm-up of 200 calls. "sync" is
\`performance.now()\` around N back-to-back calls. "main-thread" is Chromium's own TaskDuration
(CDP \`Performance.getMetrics\`) from before the loop until the SDK has sent everything (its
\`flush()\` where it has one), the stub has heard nothing for 3.5 s and the tab is idle: it adds
the work deferred to microtasks, timers and IndexedDB callbacks, which still blocks the page.
Ours runs with \`stream: false\` (no peer holds a stream open, and the stub is not an SSE server).
PostHog's bot filter is off (\`opt_out_useragent_filter\`): in an automated Chromium it would drop
every event and look free. Segment's settings are given inline with its API host on the stub and
its remote metrics off. The IndexedDB baselines: one readwrite transaction + one put per call —
what an uncoalesced queue would pay; and each task's events serialized and written as ONE record
with one put — a lower bound for a durable queue's writes (nothing sent, nothing deleted). Ours ${counts.rounds} rounds, peers ${counts.peerRounds} (Segment alone takes over a
minute of main thread per 10,000 calls); medians of the per-round figures.`
}

function pacedSection(paced: TrackResult, calls: number, paceMs: number): string {
  return `Paced: ${calls} calls, one every ${paceMs} ms (each is sent alone, at once), main-thread time per call with every
deferred task included (the same TaskDuration window as above):

${paced.table}

The "raw durable sender" baseline does the same durable work with no SDK around it: each task's events
written to IndexedDB, POSTed with the same headers, deleted when answered.`
}

function profileSection(profile: ProfileResult): string {
  return `Where our main-thread time goes — one extra round of ${profile.calls} calls until \`flush()\`
resolves, under Chromium's sampling profiler (100 µs), SDK bundled from its sources unminified; a
pointer for the SDK, not a figure to compare (the profiler slows the page):

${profile.table}

What bounds it: the sync figure is track()'s own path (id, event object, queue insert, log entry).
The main-thread figure is ${Math.round(profile.nativeShare * 100)}% native work with no script behind it — the browser's own
cost for each fetch (one per 100-event batch), each IndexedDB transaction, garbage collection and
"(program)" — and the rest the SDK's JavaScript (serializing, queue bookkeeping); the "one IndexedDB
record per task" baseline is the floor for the durable write alone, without sending or deleting.`
}

/** Says whether the SDK or the relay bounds the drain, from the run's own ratios. */
function drainBound(drain: DrainResult): string {
  const ours = drain.sdkEventsPerSecond
  const best = Math.max(drain.rawEventsPerSecond ?? 0, drain.rawParallelEventsPerSecond ?? 0)
  if (!ours || !best) return 'What bounds it: not known (runs failed).'
  const share = ours / best
  return share >= 0.9
    ? `What bounds it: the relay's ingest, not the SDK — the SDK reaches ${Math.round(share * 100)}% of the best raw rate (each
request is one SQLite commit, with fsync by default; the relay shares the 2 cores with the browser).`
    : `What bounds it: partly the SDK — it reaches ${Math.round(share * 100)}% of the best raw rate against the same relay
(the rest is the relay's ingest: one SQLite commit per request, with fsync by default, on the same 2 cores).`
}

function drainSection(drain: DrainResult): string {
  const errors =
    Object.entries(drain.relayErrors)
      .map(([status, n]) => `${n} × ${status}`)
      .join(', ') || 'none'
  return `### (c) Drain — \`online\` to the last acknowledgement, ${drain.events} queued events

${drain.table}

${drain.failures.length ? `Failed runs: ${drain.failures.join('; ')}.\n\n` : ''}${drainBound(drain)}

Non-2xx answers from the relay during the SDK's drains: ${errors}. Requests that tried to leave 127.0.0.1: ${drain.escapedRequests.length}.

How: a real relay in-process (\`test/helpers/relay.ts\`: SQLite in a temp dir, rate limit raised to
10,000 requests/s so it does not bound the figure — the relay's defaults, 50 requests/s with a
burst of 200 and 1,000 events/s with a burst of 20,000, let 10,000 queued events through at once), a page served
from 127.0.0.1 with our SDK (defaults: stream and config on), \`context.setOffline(true)\`, N
\`track()\` calls, wait until all N are in IndexedDB, \`setOffline(false)\`; timed in the page from the
\`online\` event (a capturing listener, before the SDK's own) to \`flush()\` resolving, i.e. every id
acknowledged by the relay (which acknowledges only what it has committed). Baseline: the same
number of events, serialized beforehand, POSTed to \`/v1/events\` by \`fetch\` in batches of 100,
one request at a time, and 4 in flight (as many as the SDK's sender keeps in flight),
from a page in the same browser, timed from the first request to the last answer. Fresh context
and fresh project per run; a 2,000-event raw run warms the relay first; SDK and raw runs
alternate; medians of ${drain.rounds}.`
}

function tapSection(tap: TapResult): string {
  return `### (d) Tap → endpoint and tap → screen — real Chromium, ${tap.taps} taps, one every 400 ms

${tap.table}

Aim (issue 13): tap → endpoint p50 ≤ 20 ms, p95 ≤ 50 ms — ${metText(tap.met.endpoint)}; tap → screen p50 ≤ 40 ms,
p95 ≤ 80 ms — ${metText(tap.met.screen)}. Before the send policy of issue 13 (a 1 s batch window) these were
610 / 1,019 ms and 617 / 1,027 ms.

How: our script tag on a page served from 127.0.0.1, a real relay in-process (SQLite in a temp dir)
and a real endpoint answering \`{"status":"…"}\`, which the webhook's \`response.set\` maps into the
session's \`orderStatus\`, shown by \`data-hl-bind\`. The tap is stamped by a capturing click listener,
the endpoint stamps each request when its body has arrived, the page stamps the bound element's
change (MutationObserver). Baseline in the same run: a bare page that \`fetch\`es each tap's event
to \`/v1/events\` and writes the \`vars\` frames of its own EventSource into the element — the relay's
share, with no SDK and no durable queue. What bounds ours: the IndexedDB write before the send,
then the relay (ingest commit, delivery, response mapping, frame).`
}

async function main(): Promise<void> {
  const started = Date.now()
  buildSdk(log)
  let size: SizeResult | undefined
  let track: TrackResult | undefined
  let paced: TrackResult | undefined
  let drain: DrainResult | undefined
  let profile: ProfileResult | undefined
  let tap: TapResult | undefined
  if (parts.includes('size')) {
    log('(a) size …')
    size = await measureSize()
    log(size.table)
    log(`Our IIFE by source (minified): ${size.iifeComposition}`)
    log(`Our ESM initial chunk by source (minified): ${size.composition}`)
    log(
      `English messages in the IIFE: ${size.messages.count} literals, ${kb(size.messages.minified)} minified, ${kb(size.messages.gzipSaved)} gzipped`,
    )
  }
  if (parts.includes('track')) {
    log(`(b) track(): ${counts.trackCalls} calls, ${counts.rounds} rounds (peers ${counts.peerRounds}) …`)
    // HOOKLINE_BENCH_TRACK_ONLY=hookline,idb-put,idb-batch leaves the peers out (a quick run).
    const only = process.env.HOOKLINE_BENCH_TRACK_ONLY?.split(',')
    track = await measureTrack({
      calls: counts.trackCalls,
      rounds: counts.rounds,
      peerRounds: counts.peerRounds,
      inspected: process.env.HOOKLINE_BENCH_INSPECTED === '1',
      log,
      ...(only && { only }),
    })
    log(track.table)
    if (track.escapedRequests.length)
      log(`Requests that tried to leave 127.0.0.1: ${track.escapedRequests.slice(0, 5).join(', ')}`)
  }
  if (parts.includes('paced')) {
    log(`(b) paced track(): ${counts.pacedCalls} calls, one every ${counts.paceMs} ms, ${counts.rounds} rounds …`)
    // Ours and the baselines; HOOKLINE_BENCH_PACED_ONLY=hookline,posthog,… picks others.
    const only = (process.env.HOOKLINE_BENCH_PACED_ONLY ?? 'hookline,idb-put,raw-sender').split(',')
    paced = await measureTrack({
      calls: counts.pacedCalls,
      rounds: counts.rounds,
      peerRounds: counts.peerRounds,
      paceMs: counts.paceMs,
      inspected: process.env.HOOKLINE_BENCH_INSPECTED === '1',
      only,
      log,
    })
    log(paced.table)
  }
  if (parts.includes('profile')) {
    log(`(b) profile of our track(): ${counts.trackCalls} calls …`)
    profile = await profileOurTrack(counts.trackCalls)
    log(profile.table)
  }
  if (parts.includes('drain')) {
    log(`(c) drain: ${counts.drainEvents} events, ${counts.drainRounds} rounds …`)
    drain = await measureDrain({ events: counts.drainEvents, rounds: counts.drainRounds, log })
    log(drain.table)
    if (drain.failures.length) log(`Failed runs: ${drain.failures.join('; ')}`)
  }
  if (parts.includes('tap')) {
    log(`(d) tap → endpoint, tap → screen: ${counts.taps} taps …`)
    tap = await measureTap({ taps: counts.taps, inspected: process.env.HOOKLINE_BENCH_INSPECTED === '1', log })
    log(tap.table)
  }
  const seconds = Math.round((Date.now() - started) / 1000)
  const atDefaults = Object.entries(DEFAULTS).every(([name, value]) => counts[name as keyof typeof counts] === value)
  if (!size || !track || !paced || !profile || !drain || !tap || !atDefaults || process.env.HOOKLINE_BENCH_TRACK_ONLY) {
    log(`\nDone in ${seconds} s. BENCHMARKS.md not updated (only a complete run at the default counts writes it).`)
    return
  }
  writeSection(
    '## sdk',
    `Command: \`npx tsx bench/sdk/run.ts\` (also \`npm run bench -- sdk\`), ${seconds} s, run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC.
Machine: ${describeMachine(track.browserVersion)}; other work shared the 2 cores.

${sizeSection(size)}

${trackSection(track)}

${pacedSection(paced, counts.pacedCalls, counts.paceMs)}

${profileSection(profile)}

${drainSection(drain)}

${tapSection(tap)}`,
  )
  log(`\nDone in ${seconds} s. Wrote the "## sdk" section of BENCHMARKS.md.`)
}

// Every step has its own timeout; this is the last resort, so that a run never outlives its slot.
const WATCHDOG_MS = 45 * 60_000
setTimeout(() => {
  console.error(`bench/sdk: still running after ${WATCHDOG_MS / 60_000} min; giving up.`)
  process.exit(2)
}, WATCHDOG_MS).unref()

await main()
