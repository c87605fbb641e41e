import { TOKENS } from '@hookline/devtools/tokens'
import { describe, expect, it } from 'vitest'
import css from './styles.css?raw'

describe('the dashboard stylesheet', () => {
  it('reads only the shared design tokens and the properties it declares itself', () => {
    const declared = new Set(Array.from(css.matchAll(/(--[\w-]+):/g), ([, name]) => name))
    const read = Array.from(css.matchAll(/var\((--[\w-]+)\)/g), ([, name]) => name ?? '')
    expect(read.length).toBeGreaterThan(50)
    expect(read.filter((name) => !declared.has(name) && !(name.slice(2) in TOKENS))).toEqual([])
  })
})
