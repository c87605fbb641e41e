/** Whether the browser says it is online (true where there is no `navigator.onLine`, as in Node). */
export const isOnline = (): boolean => (globalThis.navigator as Partial<Navigator> | undefined)?.onLine !== false
