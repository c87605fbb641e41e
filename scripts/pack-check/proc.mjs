// scripts/pack-check.mjs's processes and servers: commands run concurrently with their output
// kept together, a bounded pool (the machine has two cores), loopback servers, the installed relay.
import { spawn } from 'node:child_process'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { createServer } from 'node:http'
import { extname, join } from 'node:path'

/** What to close at the end, last opened first. */
export const cleanups = []

/**
 * Runs a command to its end. Its output is printed in one piece when it ends (concurrent commands
 * do not interleave), and a failure carries the last of it.
 */
export function run(command, args, { cwd, env = {}, quiet = false } = {}) {
  return new Promise((resolveRun, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let said = ''
    child.stdout.on('data', (chunk) => (said += chunk))
    child.stderr.on('data', (chunk) => (said += chunk))
    child.once('error', reject)
    child.once('close', (code) => {
      const label = `$ ${[command, ...args].join(' ')}${cwd ? `   (in ${cwd})` : ''}`
      if (code === 0) {
        if (!quiet && said.trim()) process.stdout.write(`${label}\n${said.trimEnd()}\n`)
        resolveRun(said)
      } else reject(new Error(`${label} exited with ${code}:\n${said.trimEnd().slice(-6000)}`))
    })
  })
}

/** Runs the tasks (functions returning promises) at most `width` at a time; the first failure wins. */
export async function pool(tasks, width = 2) {
  const results = new Array(tasks.length)
  let next = 0
  const lane = async () => {
    while (next < tasks.length) {
      const index = next++
      results[index] = await tasks[index]()
    }
  }
  await Promise.all(Array.from({ length: Math.min(width, tasks.length) }, lane))
  return results
}

export function listen(server) {
  return new Promise((resolveUrl) => {
    server.listen(0, '127.0.0.1', () => resolveUrl(`http://127.0.0.1:${server.address().port}`))
    cleanups.push(() => new Promise((done) => server.close(done)))
  })
}

/** A static file server on loopback; it remembers every path asked for and its status. */
export async function serveStatic(root) {
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' }
  const requests = []
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    const file = join(root, path === '/' ? 'index.html' : path)
    const found = file.startsWith(root) && existsSync(file) && !statSync(file).isDirectory()
    requests.push({ path, status: found ? 200 : 404 })
    if (!found) {
      res.writeHead(404).end()
      return
    }
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' })
    res.end(readFileSync(file))
  })
  return { url: await listen(server), requests }
}

/** A webhook endpoint on loopback that records every request. */
export async function recordingEndpoint() {
  const received = []
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk) => (body += chunk))
    req.on('end', () => {
      received.push({ headers: req.headers, body })
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
    })
  })
  return { url: `${await listen(server)}/hook`, received }
}

/** `node_modules/.bin/hookline-relay start` in an install folder, as a team runs it. */
export function startInstalledRelay(dir, { dataDir, adminToken }) {
  const bin = join(dir, 'node_modules/.bin/hookline-relay')
  const child = spawn(bin, ['start', '--dev', '--port', '0', '--data-dir', dataDir], {
    cwd: dir,
    env: { ...process.env, HOOKLINE_ADMIN_TOKEN: adminToken, HOOKLINE_LOG: '0' },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  cleanups.push(() => {
    child.kill('SIGTERM')
    return new Promise((done) => (child.exitCode === null ? child.once('exit', done) : done()))
  })
  return new Promise((resolveUrl, reject) => {
    let said = ''
    const timer = setTimeout(() => reject(new Error(`the relay did not start:\n${said}`)), 30_000)
    child.stderr.on('data', (chunk) => {
      said += chunk
      const url = /Hookline relay on (http:\/\/\S+)/.exec(said)?.[1]
      if (url) {
        clearTimeout(timer)
        resolveUrl({ url, pid: child.pid })
      }
    })
    child.once('exit', (code) => reject(new Error(`the relay exited (${code}):\n${said}`)))
  })
}
