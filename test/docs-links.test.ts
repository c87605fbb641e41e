import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

// The docs are the contract and live in the repository: a link that leaves it, or names a file
// that is not there, is dead in a fresh clone.

const root = resolve(import.meta.dirname, '..')
const tracked = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
  cwd: root,
  encoding: 'utf8',
})
  .split('\n')
  .filter((file) => file && existsSync(join(root, file)))
const markdown = tracked.filter((file) => file.endsWith('.md'))

/** The relative targets of a markdown file's links: `[text](target)`, without an anchor. */
function localLinks(text: string): string[] {
  const targets = [...text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map(([, target = '']) => target)
  return targets
    .filter((target) => !/^([a-z]+:|#)/i.test(target))
    .map((target) => decodeURIComponent(target.split('#')[0] ?? ''))
}

describe('links in the repository', () => {
  it('finds the docs', () => {
    expect(markdown).toEqual(expect.arrayContaining(['README.md', 'docs/README.md', 'docs/guides/npm.md']))
  })

  it('point at files inside it that exist', () => {
    const broken: string[] = []
    for (const file of markdown) {
      for (const target of localLinks(readFileSync(join(root, file), 'utf8'))) {
        const to = resolve(root, dirname(file), target)
        const inside = !relative(root, to).startsWith('..')
        if (!inside || !existsSync(to)) broken.push(`${file} → ${target}${inside ? '' : ' (outside the repository)'}`)
      }
    }
    expect(broken).toEqual([])
  })

  it('never name the old contract outside the repository', () => {
    const offenders = tracked
      .filter((file) => /\.(md|ts|tsx|mjs|js|json|html)$/.test(file) && file !== 'test/docs-links.test.ts')
      .filter((file) => /(\.\.\/)+shared\/DESIGN/.test(readFileSync(join(root, file), 'utf8')))
    expect(offenders).toEqual([])
  })
})
