import * as v from 'valibot'
import {
  BatchSchema,
  IngestAnswerSchema,
  InboundAcceptedSchema,
  InboundDuplicateSchema,
  ProjectConfigSchema,
  SessionClaimAnswerSchema,
  SessionClaimSchema,
} from '@hookline/protocol'
import type { Operation } from './operation.ts'

// The browser's routes (publishable key), the inbound webhook (signature) and the operator's
// unauthenticated probes. A route mounted in app.ts but missing here fails openapi.test.ts.

export const publicOperations: Operation[] = [
  {
    method: 'post',
    path: '/v1/sessions',
    operationId: 'claimSession',
    tag: 'browser',
    security: 'publishable',
    summary: "Claims a session for the key's project and environment and answers its token (first claim wins).",
    description:
      'Without `id` the relay mints one. The same id again, with either key of the project, is 409 ' +
      '`session_taken`. Events of the session need its token in `sessionTokens`, its stream in `?token=`.',
    body: SessionClaimSchema,
    responses: { 201: { description: 'Claimed; the token is shown only here.', schema: SessionClaimAnswerSchema } },
    errors: [400, 409, 415, 429],
  },
  {
    method: 'post',
    path: '/v1/events',
    operationId: 'ingestEvents',
    tag: 'browser',
    security: 'publishable',
    summary: 'A batch of events from the SDK; each id is in `accepted` only once durably committed.',
    description:
      'A bad event is rejected alone, not the batch; so is an event whose session has no valid token in ' +
      '`sessionTokens` (`session_token_required`). Re-sending an id is harmless (`duplicates`). ' +
      'Limits: 512 KiB body, 500 events (413 beyond), 64 KiB per event. Also takes the JSON as ' +
      '`text/plain`, so that `sendBeacon` works across origins without a preflight (key as `?key=`).',
    body: BatchSchema,
    textBody: true,
    responses: { 202: { description: 'Committed, duplicate or rejected, per event.', schema: IngestAnswerSchema } },
    errors: [400, 413, 415, 429],
  },
  {
    method: 'get',
    path: '/v1/config',
    operationId: 'getBrowserConfig',
    tag: 'browser',
    security: 'publishable',
    summary: "The key's project config: event definitions and variable defaults, bare.",
    responses: { 200: { description: 'The config.', schema: ProjectConfigSchema } },
    errors: [429],
  },
  {
    method: 'get',
    path: '/v1/stream',
    operationId: 'stream',
    tag: 'browser',
    security: 'publishable',
    summary: 'Server-Sent Events for one session: `vars`, `delivery`, `ack` and `config` frames (docs/stream.md).',
    query: [
      { name: 'session', description: 'The session id, `ses_…`.', schema: v.string() },
      {
        name: 'token',
        description: 'The session token from `POST /v1/sessions` (401 without it).',
        schema: v.string(),
      },
      { name: 'lastEventId', description: 'Like the `Last-Event-ID` header: replay from there.', schema: v.string() },
    ],
    headers: [{ name: 'Last-Event-ID', description: 'Replay every `vars` frame missed since this id.' }],
    responses: { 200: { description: 'The stream.', mediaType: 'text/event-stream' } },
    description:
      'Open streams are capped per publishable key and per client address (`HOOKLINE_MAX_STREAMS_PER_KEY`, ' +
      '`HOOKLINE_MAX_STREAMS_PER_ADDRESS`): over either, 429 `too_many_streams` with `Retry-After`.',
    errors: [400, 401, 403, 429],
  },
  {
    method: 'post',
    path: '/v1/inbound/:listenerId',
    operationId: 'inbound',
    tag: 'inbound',
    security: 'inbound',
    summary: "An external system's webhook, mapped by the listener to variables and pushed to the sessions.",
    description:
      "Verified with the listener's secret by the Standard Webhooks scheme when the listener's `verify` is on: " +
      'a bad or missing signature, or a timestamp outside ±5 min, is 401. The effect is durable before the answer. ' +
      'Each listener and each client address has a token bucket (`HOOKLINE_INBOUND_RATE_LIMIT`): over either, ' +
      '429 with `Retry-After`, before the body is read.',
    body: v.unknown(),
    responses: {
      202: { description: 'Committed and pushed.', schema: InboundAcceptedSchema },
      200: { description: 'A `webhook-id` seen before: no second effect.', schema: InboundDuplicateSchema },
    },
    errors: [400, 401, 404, 413, 415, 429],
  },
  {
    method: 'get',
    path: '/healthz',
    operationId: 'health',
    tag: 'operations',
    security: 'none',
    summary: 'Answers while the relay runs.',
    responses: { 200: { description: 'Running.', schema: v.object({ ok: v.literal(true) }) } },
  },
  {
    method: 'get',
    path: '/metrics',
    operationId: 'metrics',
    tag: 'operations',
    security: 'admin',
    summary: 'Prometheus metrics (text exposition format; docs/monitoring.md).',
    description:
      'Needs the admin token, or HOOKLINE_METRICS_TOKEN when set (a scraper need not hold the admin token); ' +
      'HOOKLINE_METRICS_PUBLIC=1 serves it without one. Without a valid token: 401 JSON `unauthorized`; ' +
      'after too many wrong tokens from one address, 429 `too_many_auth_failures` with `Retry-After` (as on the admin API).',
    responses: { 200: { description: 'The metrics.', mediaType: 'text/plain' } },
  },
  {
    method: 'get',
    path: '/v1/openapi.json',
    operationId: 'openapi',
    tag: 'operations',
    security: 'none',
    summary: 'This document.',
    description: 'Limited per client address (`HOOKLINE_PUBLIC_RATE_LIMIT`): 429 with `Retry-After` over it.',
    errors: [429],
    responses: { 200: { description: 'The OpenAPI 3.1 document.', mediaType: 'application/json' } },
  },
]
