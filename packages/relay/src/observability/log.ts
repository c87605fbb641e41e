/** A structured logger: one JSON object a line on stdout. */
export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void
  warn(msg: string, fields?: Record<string, unknown>): void
  error(msg: string, fields?: Record<string, unknown>): void
}

// Field names whose values never reach a log line, whoever passes them.
const SECRET_FIELD = /secret|token|authorization|password|key$/i
// Values that look like our secrets or keys are masked even under an innocent field name.
const SECRET_VALUE = /(whsec_|pk_test_|pk_live_|hl_admin_|hlst_)[A-Za-z0-9+/=_-]+/g

export function createLogger(
  enabled: boolean,
  write: (line: string) => void = (line) => process.stdout.write(line + '\n'),
): Logger {
  const emit = (level: string, msg: string, fields?: Record<string, unknown>) => {
    if (!enabled) return
    write(JSON.stringify({ time: new Date().toISOString(), level, msg, ...redact(fields) }))
  }
  return {
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
  }
}

function redact(fields: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!fields) return undefined
  const out: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(fields)) {
    if (SECRET_FIELD.test(name)) out[name] = '[redacted]'
    else if (typeof value === 'string') out[name] = value.replace(SECRET_VALUE, '$1[redacted]')
    else if (value instanceof Error) out[name] = value.message.replace(SECRET_VALUE, '$1[redacted]')
    else out[name] = value
  }
  return out
}
