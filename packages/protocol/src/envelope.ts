import type { Environment, HooklineEvent, WebhookEnvelope, WebhookTestEnvelope } from './types.ts'

/** The default outgoing body for an event (docs/webhooks.md). */
export function toEnvelope(event: HooklineEvent, projectId: string, environment: Environment): WebhookEnvelope {
  const envelope: WebhookEnvelope = {
    id: event.id,
    type: event.name,
    timestamp: event.ts,
    projectId,
    environment,
    session: event.screen === undefined ? { id: event.sessionId } : { id: event.sessionId, screen: event.screen },
    data: event.props ?? {},
    vars: event.vars ?? {},
  }
  if (event.user) envelope.user = event.user
  if (event.company) envelope.company = event.company
  return envelope
}

/** The body of "send test". */
export function testEnvelope(id: string, projectId: string, timestamp = new Date().toISOString()): WebhookTestEnvelope {
  return {
    id,
    type: 'webhook.test',
    timestamp,
    projectId,
    data: { message: 'This is a test event from Hookline', test: true },
  }
}

/** What a template's placeholders can reach: `{{event.name}}`, `{{props.total}}`, `{{vars.plan}}`… */
export function templateContext(event: HooklineEvent, projectId: string, environment: Environment) {
  return {
    event: { id: event.id, name: event.name, ts: event.ts, screen: event.screen ?? null },
    session: { id: event.sessionId, screen: event.screen ?? null },
    props: event.props ?? {},
    vars: event.vars ?? {},
    user: event.user ?? null,
    company: event.company ?? null,
    project: { id: projectId },
    projectId,
    environment,
  }
}
