/**
 * What the demo server hands the dashboard at `/demo-config.json`: shared by the server (Node) and
 * the dashboard (browser), so it holds types only. Nothing secret is in it: the admin token stays
 * in the server (see `/api`), and so does the seeded listener's secret (samples for it are signed
 * by the server, `/demo/sample/:id`).
 */
export interface DemoConfig {
  relayUrl: string
  projectId: string
  testKey: string
  /** The seeded listener, so "send a sample inbound webhook" works on it from the first start. */
  listener: { id: string }
  mockUrl: string
}
