import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { connect, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// Issue 10's exhaustion finding: one address holding more idle connections than the relay has
// descriptors must not stop it answering others. The relay runs as its own process under a
// 1,024-descriptor limit (prlimit), as an operator's would under a default ulimit.

const CLI = fileURLToPath(new URL('../../packages/relay/src/cli.ts', import.meta.url))
const dataDir = mkdtempSync(join(tmpdir(), 'hookline-caps-'))
let child: ChildProcess
let url: URL
const sockets: Socket[] = []

beforeAll(async () => {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOOKLINE_ADMIN_TOKEN: 'caps-test-admin-token-0000000',
    HOOKLINE_REQUEST_TIMEOUT_MS: '2000',
  }
  delete env.VITEST
  child = spawn(
    'prlimit',
    ['--nofile=1024:1024', process.execPath, '--import', 'tsx', CLI, 'start', '--port', '0', '--data-dir', dataDir],
    { env, stdio: ['ignore', 'ignore', 'pipe'] },
  )
  url = await new Promise<URL>((resolve, reject) => {
    let output = ''
    const timer = setTimeout(() => reject(new Error(`The relay did not start: ${output}`)), 30_000)
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const match = /Hookline relay on (http:\/\/\S+)/.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve(new URL(match[1]!))
      }
    })
    child.once('exit', (code) => reject(new Error(`The relay exited with ${code}: ${output}`)))
  })
})
afterAll(() => {
  for (const socket of sockets) socket.destroy()
  child.kill('SIGKILL')
  rmSync(dataDir, { recursive: true, force: true })
})

/** GET a path from a given local address; resolves with the status and body, or rejects after `ms`. */
function get(path: string, localAddress: string, ms = 5000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, localAddress, agent: false }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.setTimeout(ms, () => req.destroy(new Error(`no answer within ${ms} ms`)))
    req.on('error', reject)
    req.end()
  })
}

/** Raw bytes on a fresh connection; resolves with everything the relay sent before it closed. */
function raw(bytes: string, ms = 10_000): Promise<{ text: string; ms: number }> {
  const started = Date.now()
  return new Promise((resolve, reject) => {
    const socket = connect({ host: url.hostname, port: Number(url.port) })
    let text = ''
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => (text += chunk))
    socket.on('close', () => resolve({ text, ms: Date.now() - started }))
    socket.on('error', reject)
    setTimeout(() => {
      socket.destroy()
      reject(new Error(`still open after ${ms} ms: ${text}`))
    }, ms)
    socket.write(bytes)
  })
}

describe('caps that keep the relay up', () => {
  it('1,100 idle connections from one address under a 1,024-descriptor limit leave /healthz answering another', async () => {
    for (let i = 0; i < 1100; i++) {
      const socket = connect({ host: url.hostname, port: Number(url.port), localAddress: '127.0.0.1' })
      socket.on('error', () => {})
      sockets.push(socket)
      if (i % 100 === 99) await new Promise((resolve) => setTimeout(resolve, 20))
    }
    await new Promise((resolve) => setTimeout(resolve, 500))
    const health = await get('/healthz', '127.0.0.2')
    expect(health).toEqual({ status: 200, body: '{"ok":true}' })
    for (const socket of sockets.splice(0)) socket.destroy()
  })

  it('cuts off a slow body within the request timeout, with a JSON answer', async () => {
    const { text, ms } = await raw(
      'POST /v1/projects HTTP/1.1\r\nhost: x\r\nauthorization: Bearer caps-test-admin-token-0000000\r\n' +
        'content-type: application/json\r\ncontent-length: 1000\r\n\r\n{"name":',
    )
    expect(ms).toBeLessThan(6000)
    expect(text).toMatch(/^HTTP\/1.1 408/)
    expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4))).toMatchObject({ error: { code: 'request_timeout' } })
  })

  it('answers headers that are too large with JSON 431', async () => {
    const { text } = await raw(`GET /healthz HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(20_000)}\r\n\r\n`)
    expect(text).toMatch(/^HTTP\/1.1 431/)
    expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4))).toMatchObject({ error: { code: 'headers_too_large' } })
  })
})
