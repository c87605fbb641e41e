/**
 * What the demo server hands the dashboard at `/demo-config.json`: shared by the server (Node) and
 * the dashboard (browser), so it holds types only. The admin token is not in it: see `/api`.
 */
export interface DemoConfig {
  relayUrl: string
  projectId: string
  testKey: string
  /** The seeded listener, so "send a sample inbound webhook" works on it from the first start. */
  listener: { id: string; secret: string }
  mockUrl: string
}
