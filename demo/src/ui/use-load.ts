import { useCallback, useEffect, useState } from 'preact/hooks'

export interface Loaded<T> {
  data: T | undefined
  error: Error | undefined
  loading: boolean
  /** Loads again, keeping the current data on screen meanwhile. */
  reload(): Promise<void>
}

/**
 * Loads data for a component and reloads it on demand, and every `pollMs` when given (the delivery
 * log and the charts follow the relay without a refresh button).
 */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[], pollMs?: number): Loaded<T> {
  const [data, setData] = useState<T>()
  const [error, setError] = useState<Error>()
  const [loading, setLoading] = useState(true)
  // The caller names the dependencies (`deps`): reload is remade when they change.
  const reload = useCallback(async () => {
    setLoading(true)
    try {
      setData(await load())
      setError(undefined)
    } catch (caught) {
      setError(caught as Error)
    } finally {
      setLoading(false)
    }
  }, deps)
  useEffect(() => {
    void reload()
    if (!pollMs) return
    const timer = setInterval(() => void reload(), pollMs)
    return () => clearInterval(timer)
  }, [reload, pollMs])
  return { data, error, loading, reload }
}
