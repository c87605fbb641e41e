// The contract between track.ts and each page fixture: every fixture sets `window.benchTarget`.

export interface TrackTarget {
  /** Sets the SDK up against the stub API (`api` is its origin) and resolves once it takes events. */
  start(api: string): Promise<void>
  /** One call of the SDK's track/capture with the same small payload for all. */
  track(i: number): void
  /** Resolves once everything tracked has been handed off, where the SDK offers such a promise. */
  settle?(): Promise<void>
}

declare global {
  interface Window {
    benchTarget: TrackTarget
  }
}

export const EVENT_NAME = 'checkout-completed'
export const props = (i: number) => ({ total: i, sku: 'A1', currency: 'EUR' })
