/**
 * This process's memory after full collections, once it holds still. A stream's head is out before
 * its replay is read, and until that read is done the request is still being served (its objects
 * alive), so readings are taken 100 ms apart until four in a row agree on heap + buffers within
 * 16 KiB (10 s at most). Needs --expose-gc. Shared by the stream memory test and its benchmark, so
 * that the test's bound and the bench's figure come from the same reading.
 */
export async function settledMemory(): Promise<NodeJS.MemoryUsage> {
  const gc = (globalThis as { gc?: () => void }).gc
  if (!gc) throw new Error('settledMemory() needs node --expose-gc: without full collections the reading drifts.')
  const read = () => {
    for (let i = 0; i < 3; i++) gc()
    return process.memoryUsage()
  }
  const held = (usage: NodeJS.MemoryUsage) => usage.heapUsed + usage.external
  let last = read()
  let still = 0
  for (let tries = 0; tries < 100 && still < 3; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 100))
    const now = read()
    still = Math.abs(held(now) - held(last)) < 16 * 1024 ? still + 1 : 0
    last = now
  }
  return last
}
