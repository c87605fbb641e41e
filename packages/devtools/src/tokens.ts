/**
 * Hookline's design tokens: the colours the dashboard (`demo/`) and this panel share, in one place.
 * The panel declares them inside its shadow root (styles.ts); the dashboard puts them in
 * its page's `<head>` when it starts (demo/src/main.tsx). Each becomes a CSS custom property, `--<name>`.
 */
export const TOKENS = {
  /** Cards, the panel, inputs. */
  surface: '#ffffff',
  /** The page behind the cards, and quiet fills (hover, code). */
  bg: '#f6f7f9',
  line: '#e3e6ea',
  'line-strong': '#cfd4db',
  text: '#1d2330',
  /** Dark enough for 4.5:1 on every soft fill (neutral-soft, accent-soft), as axe-core checks. */
  muted: '#5b6472',
  accent: '#3b5bdb',
  'accent-soft': '#eaefff',
  good: '#1a7a43',
  'good-soft': '#e6f4ec',
  bad: '#c92a2a',
  'bad-soft': '#fdecec',
  warn: '#8f5400',
  'warn-soft': '#fff4e0',
  /** Variables (the stream's `vars` frames, the dashboard's variable charts). */
  vars: '#7048e8',
  'vars-soft': '#f1ecff',
  'neutral-soft': '#eef0f3',
} as const

/** The tokens as custom property declarations (`--text: #1d2330;` …), for the body of a CSS rule. */
export function tokenDeclarations(): string {
  return Object.entries(TOKENS)
    .map(([name, value]) => `--${name}: ${value};`)
    .join(' ')
}
