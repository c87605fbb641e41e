// Writes this benchmark's `## sdk` section of BENCHMARKS.md and leaves the other sections alone
// (the relay and stream benchmarks write theirs). Only the generated part of the section is
// replaced: its `### (a)`… subsections. A hand-written `### ` subsection after them (an issue's
// measured notes) stays, so a full run does not erase the history it is compared with.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT } from './paths.ts'

const FILE = join(ROOT, 'BENCHMARKS.md')
const INTRO = `# Benchmarks

How fast and how small Hookline is, and how to reproduce each figure. This machine is small and
noisy (2 cores shared with other work), so every figure is a median over several rounds and is
compared with baselines measured in the same run, on the same machine: read the ratios, not the
absolute times. Each section names the command that produced it.
`

/** Where the generated part of a section ends: the next level-2 heading, or a hand-written subsection. */
const KEPT = /^## |^### (?!\()/

/** Replaces (or appends) the generated part of the section that starts with `heading` (a level-2 heading). */
export function writeSection(heading: string, body: string): void {
  const current = existsSync(FILE) ? readFileSync(FILE, 'utf8') : INTRO
  const lines = current.split('\n')
  const start = lines.findIndex((line) => line.trim() === heading)
  const section = `${heading}\n\n${body.trim()}\n`
  let next: string
  if (start === -1) next = `${current.trimEnd()}\n\n${section}`
  else {
    let end = lines.findIndex((line, index) => index > start && KEPT.test(line))
    if (end === -1) end = lines.length
    const after = lines.slice(end).join('\n')
    next = `${lines.slice(0, start).join('\n')}${start ? '\n' : ''}${section}${after ? `\n${after}` : ''}`
  }
  writeFileSync(FILE, next.endsWith('\n') ? next : `${next}\n`)
}
