/** Whether the browser says it is online (true where there is no `navigator.onLine`, as in Node). */
export const isOnline = (): boolean =>
  typeof navigator === 'undefined' || (navigator as Partial<Navigator>).onLine !== false
