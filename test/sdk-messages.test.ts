import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { MESSAGES, messageText } from '@hookline/sdk/messages'

// The codes have one text (messages.ts) and one explanation (docs/messages.md): the two lists, and
// the codes the sources use, must be the same.
const SRC = join(import.meta.dirname, '../packages/sdk/src')
const DOCS = join(import.meta.dirname, '../docs/messages.md')

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sources(path)
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) && entry.name !== 'messages.ts' ? [path] : []
  })
}

describe('message codes', () => {
  const defined = Object.keys(MESSAGES).sort()
  const docs = readFileSync(DOCS, 'utf8')

  it('each has one entry in docs/messages.md, with its text, and the page has no other', () => {
    const documented = [...docs.matchAll(/^## (HL\d+)$/gm)].map((match) => match[1]!)
    expect(documented).toEqual(defined)
    for (const code of defined) {
      const entry = docs.split(`## ${code}\n`)[1]!.split('\n## ')[0]!.replace(/\s+/g, ' ')
      const text = MESSAGES[code as keyof typeof MESSAGES].replace(/\.$/, '')
      expect(entry, code).toContain(`**${text}.**`)
    }
  })

  it('each is used by the sources, and the sources use no other', () => {
    const used = new Set(sources(SRC).flatMap((path) => readFileSync(path, 'utf8').match(/'HL\d+'/g) ?? []))
    expect([...used].map((code) => code.slice(1, -1)).sort()).toEqual(defined)
  })

  it('fill their arguments in order', () => {
    expect(messageText('HL06', ['ses_a', 'ses_b'])).toBe(
      'Session ses_a was claimed elsewhere: started a new session ses_b',
    )
    expect(messageText('HL33', ['0', 1, 100])).toBe('must be an integer 1–100 (got 0).')
  })
})
