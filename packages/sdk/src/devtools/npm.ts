import type { DevtoolsLoader } from './loader.ts'

/** The npm build's devtools: a lazy chunk, `@hookline/devtools`, imported on the first `hl.devtools()`. */
export const importDevtools: DevtoolsLoader = async (hl) => {
  const { mount } = await import('@hookline/devtools')
  return mount(hl)
}
