/**
 * @module
 * The package as Node loads it (the `node` export condition): everything of `index.ts`, with
 * `sign()`'s HMAC on `node:crypto` (`signing.node.ts`) instead of WebCrypto. Same API, same headers.
 */
export * from './index.ts'
export { sign } from './signing.node.ts'
