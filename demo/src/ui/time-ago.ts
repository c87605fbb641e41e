/** "just now", "12 s ago", "3 min ago", or the time of day beyond an hour. */
export function timeAgo(at: number | string | undefined, now = Date.now()): string {
  if (at === undefined) return ''
  const time = typeof at === 'number' ? at : Date.parse(at)
  if (Number.isNaN(time)) return ''
  const seconds = Math.round((now - time) / 1000)
  if (seconds < 5) return 'just now'
  if (seconds < 60) return `${seconds} s ago`
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`
  return new Date(time).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
}
