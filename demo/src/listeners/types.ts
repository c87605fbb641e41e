/** A listener as the admin API returns it (DESIGN.md "Admin"). */
export interface Listener {
  id: string
  name: string
  /** Relay path, `/v1/inbound/lst_…`. */
  url: string
  set: Record<string, string>
  target?: { session: string } | 'broadcast'
  verify?: boolean
}
