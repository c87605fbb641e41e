import { appendFileSync } from 'node:fs'
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const CLI = fileURLToPath(new URL('../../packages/relay/src/cli.ts', import.meta.url))

export interface RelayProcess {
  child: ChildProcess
  url: string
  /** Resolves once the process has exited. */
  exited: Promise<void>
}

/**
 * The relay as its own process (the CLI through tsx), as an operator runs it, in dev mode on
 * 127.0.0.1, port 0; `env` is added to this process's environment. Resolves with its URL once it
 * listens. The caller kills it (`child.kill('SIGKILL')` to crash it).
 */
export function startRelayProcess(args: string[], env: NodeJS.ProcessEnv = {}): Promise<RelayProcess> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env }
  delete childEnv.VITEST
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'start', '--dev', '--port', '0', ...args], {
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  // The relay's JSON log, for a test that fails: HOOKLINE_TEST_LOG=file appends it there.
  const logFile = process.env.HOOKLINE_TEST_LOG
  if (logFile) child.stdout.on('data', (chunk: Buffer) => appendFileSync(logFile, `${child.pid} ${chunk.toString()}`))
  else child.stdout.resume()
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  return new Promise((resolve, reject) => {
    let output = ''
    const timer = setTimeout(() => reject(new Error(`The relay did not start: ${output}`)), 30_000)
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const match = /Hookline relay on (http:\/\/\S+)/.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve({ child, url: match[1]!, exited })
      }
    })
    child.once('exit', (code) => reject(new Error(`The relay exited with ${code}: ${output}`)))
  })
}

/** What a relay answered: its status and its JSON body, typed loosely as tests read any field. */
export interface RelayAnswer {
  status: number
  /** Each test reads the fields it asserts. */
  body: any
}

/**
 * `call(url, path, { method?, key?, body? })` against any relay, as a bearer of `adminToken` unless
 * `key` (a publishable key) is given.
 */
export function relayCaller(adminToken: string) {
  return async (
    url: string,
    path: string,
    init: { method?: string; key?: string; body?: unknown } = {},
  ): Promise<RelayAnswer> => {
    const response = await fetch(url + path, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${init.key ?? adminToken}`, 'content-type': 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    })
    return { status: response.status, body: await response.json() }
  }
}
