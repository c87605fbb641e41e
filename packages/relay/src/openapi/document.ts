import { toJsonSchema, type ConversionConfig, type JsonSchema } from '@valibot/to-json-schema'
import type * as v from 'valibot'
import {
  DeliveryDetailSchema,
  DeliverySchema,
  ErrorBodySchema,
  EventLogEntrySchema,
  ListenerSchema,
  ProjectConfigSchema,
  ProjectSchema,
  WebhookSchema,
} from '@hookline/protocol'
import { adminOperations } from './admin-operations.ts'
import type { Operation, Security } from './operation.ts'
import { publicOperations } from './public-operations.ts'

/** Every documented route. The route table test compares it with what app.ts mounts. */
export const operations: Operation[] = [...adminOperations, ...publicOperations]

// Shared shapes become components, referenced wherever they occur.
const components = {
  Error: ErrorBodySchema,
  Project: ProjectSchema,
  ProjectConfig: ProjectConfigSchema,
  Webhook: WebhookSchema,
  Delivery: DeliverySchema,
  DeliveryDetail: DeliveryDetailSchema,
  Listener: ListenerSchema,
  EventLogEntry: EventLogEntrySchema,
}

const conversion: ConversionConfig = {
  target: 'draft-2020-12',
  // Checks JSON Schema cannot say (a parseable URL, a JSON path) and transforms (trim) are left
  // out: the document describes the shape; the relay still applies every check.
  errorMode: 'ignore',
  overrideRef: ({ referenceId }) => `#/components/schemas/${referenceId}`,
}

/** A schema as JSON Schema 2020-12; the shared shapes in it (but `self`) as references to components. */
function jsonSchema(schema: v.GenericSchema, self?: string): JsonSchema {
  const definitions = Object.fromEntries(Object.entries(components).filter(([name]) => name !== self))
  const { $schema: _draft, $defs: _defs, ...rest } = toJsonSchema(schema, { ...conversion, definitions })
  return rest
}

const SECURITY: Record<Security, Record<string, string[]>[]> = {
  admin: [{ adminToken: [] }],
  publishable: [{ publishableKey: [] }, { publishableKeyQuery: [] }],
  inbound: [{ inboundSignature: [] }, {}],
  none: [],
}
const SECURITY_ERRORS: Record<Security, number[]> = {
  // 429: too many wrong tokens from this address (`too_many_auth_failures`).
  admin: [401, 404, 429],
  publishable: [401, 403],
  inbound: [],
  none: [],
}
const ERROR_TEXT: Record<number, string> = {
  400: 'The request is not valid; `details.problems` lists each `{path, message}` when a body failed.',
  401: 'Missing or wrong credentials.',
  403: "The page's origin is not among the project's allowed origins.",
  404: 'Nothing with that id here (the ids of a path must belong to each other).',
  409: 'The resource is not in a state that allows this.',
  413: 'The body is over the limit.',
  415: 'The content type is not JSON.',
  429: 'Over the rate limit (or, on admin routes, `too_many_auth_failures`: too many wrong tokens from this address); `Retry-After` says when to try again.',
  503: '`storage_unavailable`: the relay could not store this (its storage is full or unreachable; the log says which). Nothing of the request was kept; send it again after `Retry-After`.',
}

/** `:pid` → `{pid}`. */
export function openApiPath(path: string): string {
  return path.replace(/:(\w+)/g, '{$1}')
}

function parameters(operation: Operation) {
  const inPath = [...operation.path.matchAll(/:(\w+)/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }))
  const query = (operation.query ?? []).map(({ name, description, schema }) => ({
    name,
    in: 'query',
    description,
    schema: jsonSchema(schema),
  }))
  const headers = (operation.headers ?? []).map(({ name, description }) => ({
    name,
    in: 'header',
    description,
    schema: { type: 'string' },
  }))
  return [...inPath, ...query, ...headers]
}

function responses(operation: Operation) {
  const answers: Record<string, unknown> = {}
  for (const [status, { description, schema, mediaType }] of Object.entries(operation.responses)) {
    if (schema === null) answers[status] = { description }
    else if (mediaType) answers[status] = { description, content: { [mediaType]: {} } }
    else if (schema) answers[status] = { description, content: { 'application/json': { schema: jsonSchema(schema) } } }
  }
  // Any write can meet a full disk.
  const writes = operation.method === 'get' ? [] : [503]
  const errors = new Set([...SECURITY_ERRORS[operation.security], ...(operation.errors ?? []), ...writes])
  for (const status of [...errors].sort()) {
    answers[status] = { $ref: `#/components/responses/Error${String(status)}` }
  }
  answers.default = { $ref: '#/components/responses/Error' }
  return answers
}

function requestBody(operation: Operation) {
  if (!operation.body) return undefined
  const schema = jsonSchema(operation.body)
  return {
    required: operation.optionalBody !== true,
    content: {
      'application/json': { schema },
      ...(operation.textBody ? { 'text/plain': { schema } } : {}),
    },
  }
}

/** The OpenAPI 3.1 document of the relay's HTTP API, made from the schemas the routes validate with. */
export function openApiDocument(version: string) {
  const paths: Record<string, Record<string, unknown>> = {}
  for (const operation of operations) {
    const item = (paths[openApiPath(operation.path)] ??= {})
    item[operation.method] = {
      operationId: operation.operationId,
      tags: [operation.tag],
      summary: operation.summary,
      ...(operation.description ? { description: operation.description } : {}),
      security: SECURITY[operation.security],
      parameters: parameters(operation),
      ...(operation.body ? { requestBody: requestBody(operation) } : {}),
      responses: responses(operation),
    }
  }
  const errorResponse = (description: string) => ({
    description,
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  })
  return {
    openapi: '3.1.0',
    info: {
      title: 'Hookline relay',
      version,
      description:
        'Events from browsers out as signed Standard Webhooks, variables back over Server-Sent Events. ' +
        'Prose for headers, delivery rules and stream frames: docs/api.md, docs/webhooks.md, docs/stream.md.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: 'http://127.0.0.1:8787', description: 'A relay started with `hookline-relay start`.' }],
    tags: [
      'projects',
      'config',
      'webhooks',
      'deliveries',
      'events',
      'listeners',
      'stats',
      'browser',
      'inbound',
      'operations',
    ].map((name) => ({ name })),
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(components).map(([name, schema]) => [name, jsonSchema(schema, name)])),
      responses: {
        Error: errorResponse('An error: `{"error":{"code","message","details"?}}`.'),
        ...Object.fromEntries(
          Object.entries(ERROR_TEXT).map(([status, text]) => [`Error${status}`, errorResponse(text)]),
        ),
      },
      securitySchemes: {
        adminToken: {
          type: 'http',
          scheme: 'bearer',
          description: "The operator's admin token (`HOOKLINE_ADMIN_TOKEN`), for every `/v1/projects/**` route.",
        },
        publishableKey: {
          type: 'http',
          scheme: 'bearer',
          description: 'A publishable key, `pk_test_…` or `pk_live_…`, as the SDK sends it.',
        },
        publishableKeyQuery: {
          type: 'apiKey',
          in: 'query',
          name: 'key',
          description: 'The publishable key as `?key=`, for `sendBeacon` and `EventSource`, which send no headers.',
        },
        inboundSignature: {
          type: 'apiKey',
          in: 'header',
          name: 'webhook-signature',
          description:
            "Standard Webhooks: `webhook-id`, `webhook-timestamp` and `webhook-signature` (`v1,<base64 HMAC-SHA256>`) made with the listener's `whsec_` secret. Not checked for a listener with `verify: false`.",
        },
      },
    },
  }
}
