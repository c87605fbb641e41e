import { defineConfig } from 'vite'

// Plain Vite: its built-in JSX transform handles React's automatic runtime.
export default defineConfig({ build: { target: 'es2022' } })
