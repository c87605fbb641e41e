import { afterAll } from 'vitest'
import { startEndpoint, type TestEndpoint } from './endpoint.ts'
import { postgresSchema } from './postgres.ts'
import { relayCaller, startRelayProcess, type RelayProcess } from './relay-process.ts'

// The header every multi-process PostgreSQL test shared: a schema of the file's own, the relay
// processes started on it and the endpoint they deliver to, all ended after the file (nodes still
// up are SIGKILLed and awaited, the endpoint closed, then the schema dropped), and the environment
// each node starts with.

/**
 * Call at the top of a test file. `env` is added to every node's environment, after the shared
 * part (the schema's DATABASE_URL, the admin token, rate limits no test run reaches).
 */
export function postgresNodes(prefix: string, adminToken: string, env: Record<string, string> = {}) {
  const schema = postgresSchema(prefix)
  const nodes: RelayProcess[] = []
  const endpoints: TestEndpoint[] = []

  afterAll(async () => {
    for (const { child } of nodes) if (child.exitCode === null) child.kill('SIGKILL')
    await Promise.all(nodes.map((relay) => relay.exited))
    for (const endpoint of endpoints) await endpoint.close()
    await schema.drop()
  })

  const nodeEnv = {
    DATABASE_URL: schema.databaseUrl,
    HOOKLINE_ADMIN_TOKEN: adminToken,
    HOOKLINE_RATE_LIMIT: '10000:10000',
    HOOKLINE_EVENT_RATE_LIMIT: '1000000:1000000',
    ...env,
  }
  return {
    databaseUrl: schema.databaseUrl,
    /** Reads the schema directly, as an operator would. */
    query: schema.query,
    /** `call(url, path, { method?, key?, body? })` as the admin (or with a publishable key). */
    call: relayCaller(adminToken),
    /** A relay process on the schema, ended after the file if the test leaves it running. */
    startNode: async (): Promise<RelayProcess> => {
      const node = await startRelayProcess([], nodeEnv)
      nodes.push(node)
      return node
    },
    /** A recording endpoint, closed after the file. */
    startEndpoint: async (...args: Parameters<typeof startEndpoint>): Promise<TestEndpoint> => {
      const endpoint = await startEndpoint(...args)
      endpoints.push(endpoint)
      return endpoint
    },
  }
}
