/**
 * Closes, in order, what a `beforeAll` opened. When the `beforeAll` failed part-way, the later
 * resources were never assigned (their `let` says otherwise), so unset ones are skipped and the
 * ones that did start still close.
 */
export async function closeOpened(...resources: ({ close(): Promise<unknown> } | undefined)[]): Promise<void> {
  for (const resource of resources) await resource?.close()
}
