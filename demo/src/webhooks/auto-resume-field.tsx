import type { Webhook } from '@hookline/protocol'
import { CheckField } from '../ui/check-field.tsx'

type AutoResume = Webhook['autoResume']

/** "1, 5, 15 and 30 min, then hourly", or the webhook's own steps, in words. */
export function probeScheduleText(autoResume: AutoResume): string {
  if (autoResume === false) return 'Waits for you to resume it'
  if (autoResume === true) return 'Tries again by itself after 1, 5, 15 and 30 min, then hourly'
  const steps = autoResume.scheduleMs.map((ms) =>
    ms < 90_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`,
  )
  return `Tries again by itself after ${steps.join(', ')}, then every ${steps.at(-1) ?? ''}`
}

/**
 * Whether a webhook paused by failures tries its oldest held delivery again by itself and resumes
 * once the endpoint answers. A custom schedule set through the API stays as it is while checked.
 */
export function AutoResumeField({
  id,
  value,
  onChange,
}: {
  id: string
  value: AutoResume
  onChange: (next: AutoResume) => void
}) {
  return (
    <CheckField
      id={id}
      checked={value !== false}
      onChange={(checked) => onChange(checked ? (value === false ? true : value) : false)}
      label="After a pause for failures, try again by itself"
      help={`${probeScheduleText(value === false ? true : value)}, with the oldest held delivery; a 2xx resumes the webhook and sends what it held, oldest first. Unchecked: it waits for you to press Resume.`}
    />
  )
}
