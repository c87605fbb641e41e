import type * as v from 'valibot'

type Schema = v.GenericSchema

/** How a route authenticates: the operator's admin token, a page's publishable key, a signed inbound webhook, or none. */
export type Security = 'admin' | 'publishable' | 'inbound' | 'none'

/** One documented route: the OpenAPI document is built from a list of these (`operations.ts`). */
export interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete'
  /** The Hono path, `:pid` style, exactly as the route module mounts it. */
  path: string
  operationId: string
  tag: string
  summary: string
  description?: string
  security: Security
  query?: { name: string; description: string; schema: Schema }[]
  headers?: { name: string; description: string }[]
  /** The JSON body, validated with this same schema. */
  body?: Schema
  /** The body may be left out altogether (send test). */
  optionalBody?: boolean
  /** Also takes the JSON as `text/plain` (sendBeacon). */
  textBody?: boolean
  /** Status → JSON schema, `null` for no body, or a media type for non-JSON bodies. */
  responses: Record<number, { description: string; schema?: Schema | null; mediaType?: string }>
  /** The 4xx statuses this route answers beyond the ones its security implies. */
  errors?: number[]
}
