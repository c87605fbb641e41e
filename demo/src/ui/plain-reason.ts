/** The relay's reasons for a webhook's state (paused, resumed…), reworded where they use its internal terms. */
export function plainReason(reason: string): string {
  const probe = /^A recovery probe succeeded \(HTTP (\d+)\)\.$/.exec(reason)
  if (probe) return `It tried its oldest held delivery again and the endpoint answered ${probe[1]}.`
  return reason
    .replace(/consecutive failed attempts/, 'failed attempts in a row')
    .replace('until a recovery probe succeeds or it is resumed', 'until the endpoint answers again or you resume it')
    .replace(/^Delivery dlv_\S+ of /, 'The delivery of ')
}
