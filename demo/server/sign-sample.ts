import { newId, sign } from '@hookline/protocol'

/** The seeded listener: the demo server alone holds its secret (the browser never sees it). */
export interface SeededListener {
  id: string
  secret: string
}

/**
 * "Send a sample inbound webhook" for the seeded listener: the dashboard sends the body, and the
 * server signs it (Standard Webhooks) with the secret it kept from seeding and posts it to the
 * relay's inbound URL, as the mock fulfillment service does. Answers the relay's status and body.
 */
export async function signAndSend(
  relayUrl: string,
  listener: SeededListener,
  body: string,
): Promise<{ status: number; type: string; body: Buffer } | null> {
  const headers = await sign(listener.secret, newId('msg'), Math.floor(Date.now() / 1000), body)
  const answer = await fetch(`${relayUrl}/v1/inbound/${listener.id}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  }).catch(() => null)
  if (!answer) return null
  return {
    status: answer.status,
    type: answer.headers.get('content-type') ?? 'application/json',
    body: Buffer.from(await answer.arrayBuffer()),
  }
}
