import { isPlainObject, parseJsonPath, VARIABLE_NAME } from '@hookline/protocol'
import { invalidInput } from '../http/errors.ts'
import type { ListenerSettings, ListenerTarget } from '../storage/listeners.ts'

const MAX_MAPPINGS = 50
type Problem = { path: string; message: string }

/** Validates `POST /v1/projects/:pid/listeners`; 400 naming the first bad field. */
export function parseListenerCreate(body: unknown): ListenerSettings {
  if (!isPlainObject(body))
    throw invalidInput('Send a JSON object like {"name":"orders","set":{"orderStatus":"$.status"}}', [])
  const problems: Problem[] = []
  checkKnownFields(body, problems)
  const name = checkName(body.name, problems)
  const set = checkSet(body.set, problems)
  const target = body.target === undefined ? 'broadcast' : checkTarget(body.target, problems)
  const verify = body.verify === undefined ? true : checkVerify(body.verify, problems)
  // Each check that answers undefined has added its problem.
  if (problems.length || !name || !set || !target || verify === undefined)
    throw invalidInput('The listener is not valid', problems)
  return { name, set, target, verify }
}

/** Validates `PATCH …/listeners/:lid`: any subset of the fields. */
export function parseListenerPatch(body: unknown): Partial<ListenerSettings> {
  if (!isPlainObject(body))
    throw invalidInput('Send a JSON object with the fields to change, like {"verify":false}', [])
  const problems: Problem[] = []
  checkKnownFields(body, problems)
  const patch: Partial<ListenerSettings> = {}
  if (body.name !== undefined) patch.name = checkName(body.name, problems)
  if (body.set !== undefined) patch.set = checkSet(body.set, problems)
  if (body.target !== undefined) patch.target = checkTarget(body.target, problems)
  if (body.verify !== undefined) patch.verify = checkVerify(body.verify, problems)
  if (problems.length) throw invalidInput('The listener change is not valid', problems)
  return patch
}

function checkKnownFields(body: Record<string, unknown>, problems: Problem[]): void {
  for (const key of Object.keys(body)) {
    if (!['name', 'set', 'target', 'verify'].includes(key))
      problems.push({ path: key, message: 'is not a listener field (name, set, target, verify)' })
  }
}

function checkName(name: unknown, problems: Problem[]): string | undefined {
  if (typeof name === 'string' && name.trim().length > 0 && name.length <= 200) return name.trim()
  problems.push({ path: 'name', message: 'must be a non-empty string of at most 200 characters' })
}

function checkSet(set: unknown, problems: Problem[]): Record<string, string> | undefined {
  if (!isPlainObject(set) || Object.keys(set).length === 0 || Object.keys(set).length > MAX_MAPPINGS) {
    problems.push({
      path: 'set',
      message: `must map 1–${MAX_MAPPINGS} variable names to JSON paths, like {"orderStatus":"$.data.status"}`,
    })
    return
  }
  const mappings: Record<string, string> = {}
  for (const [variable, path] of Object.entries(set)) {
    if (!VARIABLE_NAME.test(variable))
      problems.push({
        path: `set.${variable}`,
        message: 'is not a variable name (a letter or _, then letters, digits or _, at most 64)',
      })
    else if (typeof path !== 'string' || !parseJsonPath(path))
      problems.push({
        path: `set.${variable}`,
        message: 'must be a JSON path like "$.data.status" or "$.items[0].sku"',
      })
    else mappings[variable] = path
  }
  return mappings
}

function checkTarget(target: unknown, problems: Problem[]): ListenerTarget | undefined {
  if (target === 'broadcast') return target
  if (
    isPlainObject(target) &&
    Object.keys(target).length === 1 &&
    typeof target.session === 'string' &&
    parseJsonPath(target.session)
  ) {
    return { session: target.session }
  }
  problems.push({ path: 'target', message: 'must be "broadcast" or {"session":"$.path.to.session.id"}' })
}

function checkVerify(verify: unknown, problems: Problem[]): boolean | undefined {
  if (typeof verify === 'boolean') return verify
  problems.push({ path: 'verify', message: 'must be true or false' })
}
