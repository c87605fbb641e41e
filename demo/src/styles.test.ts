import { TOKENS } from '@hookline/devtools/tokens'
import { describe, expect, it } from 'vitest'
import index from './styles/index.css?raw'

// Every file of the stylesheet, by name, as text.
const files = import.meta.glob<string>('./styles/*.css', { query: '?raw', import: 'default', eager: true })
const css = Object.values(files).join('\n')

describe('the dashboard stylesheet', () => {
  it('reads only the shared design tokens and the properties it declares itself', () => {
    const declared = new Set(Array.from(css.matchAll(/(--[\w-]+):/g), ([, name]) => name))
    const read = Array.from(css.matchAll(/var\((--[\w-]+)\)/g), ([, name]) => name ?? '')
    expect(read.length).toBeGreaterThan(50)
    expect(read.filter((name) => !declared.has(name) && !(name.slice(2) in TOKENS))).toEqual([])
  })

  it('imports each of its files once, from index.css, so none is left out of the cascade', () => {
    const imported = Array.from(index.matchAll(/@import '\.\/([\w-]+\.css)';/g), ([, name]) => `./styles/${name}`)
    const present = Object.keys(files).filter((name) => name !== './styles/index.css')
    expect(imported.toSorted()).toEqual(present.toSorted())
    expect(new Set(imported).size).toBe(imported.length)
  })

  it('keeps each file to one concept of modest size', () => {
    for (const [name, text] of Object.entries(files)) expect(text.split('\n').length, name).toBeLessThan(150)
  })
})
