import type { Trigger } from '@hookline/protocol'

export type TriggerKind = 'none' | 'tap' | 'screen' | 'change'

export const TRIGGER_KINDS: ReadonlyArray<{ kind: TriggerKind; label: string; placeholder: string; help: string }> = [
  { kind: 'tap', label: 'Tap', placeholder: '#pay or .add-button', help: 'A CSS selector of the element to tap' },
  {
    kind: 'screen',
    label: 'Screen',
    placeholder: 'checkout',
    help: 'A screen: its route (#checkout) or data-hl-screen name',
  },
  { kind: 'change', label: 'Variable change', placeholder: 'plan', help: 'The variable whose change fires the event' },
  {
    kind: 'none',
    label: 'In the prototype',
    placeholder: '',
    help: 'Fired by data-hl-event in the prototype, or by code',
  },
]

/** The label and help of one kind of trigger. */
export function triggerKindInfo(kind: TriggerKind): (typeof TRIGGER_KINDS)[number] {
  const info = TRIGGER_KINDS.find((item) => item.kind === kind)
  if (!info) throw new Error(`Unknown trigger kind "${kind}".`)
  return info
}

/** The kind and the text of a trigger, as the editor shows them. */
export function triggerParts(trigger: Trigger | undefined): { kind: TriggerKind; value: string; to: string } {
  if (!trigger) return { kind: 'none', value: '', to: '' }
  if ('tap' in trigger) return { kind: 'tap', value: trigger.tap, to: '' }
  if ('screen' in trigger) return { kind: 'screen', value: trigger.screen, to: '' }
  return {
    kind: 'change',
    value: trigger.change,
    to: trigger.to === undefined ? '' : typeof trigger.to === 'string' ? trigger.to : JSON.stringify(trigger.to),
  }
}

/** The trigger for the editor's fields; undefined for "in the prototype" or an empty value. */
export function buildTrigger(kind: TriggerKind, value: string, to = ''): Trigger | undefined {
  const text = value.trim()
  if (kind === 'none' || !text) return undefined
  if (kind === 'tap') return { tap: text }
  if (kind === 'screen') return { screen: text }
  return to.trim() ? { change: text, to: to.trim() } : { change: text }
}

/** "tap #pay", "screen checkout", "plan changes to pro". */
export function describeTrigger(trigger: Trigger | undefined): string {
  if (!trigger) return 'fired from the prototype'
  if ('tap' in trigger) return `tap on ${trigger.tap}`
  if ('screen' in trigger) return `screen ${trigger.screen} appears`
  return trigger.to === undefined
    ? `${trigger.change} changes`
    : `${trigger.change} changes to ${JSON.stringify(trigger.to)}`
}
