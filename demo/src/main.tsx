import { tokenDeclarations } from '@hookline/devtools/tokens'
import { render } from 'preact'
import { App } from './app.tsx'
import './styles/index.css'

// The design tokens the dashboard shares with the devtools panel, as :root properties, before the
// first render (nothing is on screen until then: the page is this app).
const tokens = document.createElement('style')
tokens.dataset.hooklineTokens = ''
tokens.textContent = `:root { ${tokenDeclarations()} }`
document.head.prepend(tokens)

const root = document.getElementById('app')
if (!root) throw new Error('index.html has no #app element to render the dashboard into.')
render(<App />, root)
