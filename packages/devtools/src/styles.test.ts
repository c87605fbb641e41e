import { describe, expect, it } from 'vitest'
import { PANEL_CSS } from './styles.ts'
import { TOKENS } from './tokens.ts'

/** The custom properties a stylesheet reads, by name without `--`. */
const propertiesUsed = (css: string) =>
  new Set(Array.from(css.matchAll(/var\(--([\w-]+)\)/g), ([, name]) => name ?? ''))

describe('the panel stylesheet', () => {
  it('declares every design token inside the shadow root, and reads no property it does not declare', () => {
    for (const [name, value] of Object.entries(TOKENS)) expect(PANEL_CSS).toContain(`--${name}: ${value};`)
    expect([...propertiesUsed(PANEL_CSS)].filter((name) => !(name in TOKENS))).toEqual([])
  })
})
