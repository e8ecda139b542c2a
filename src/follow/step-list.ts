import type { VelaApi } from '../vela/api.js'
import { STEPS_PER_PAGE } from '../vela/api.js'
import type { Step } from '../vela/schemas.js'

/** How many pages of steps are read at most: 2,000 steps, far more than a pipeline has. */
const MAX_PAGES = 20

/** Which step this is: Vela's numbers are not always unique within a build, a number with its stage and name is. */
export const stepKey = (step: Step): string =>
  JSON.stringify([step.number, step.stage ?? '', step.name ?? ''])

/**
 * Every step of a build, in the order they run. Vela lists them newest first, 100 at most a page, so a long
 * build's first steps are on its last pages. A step that moved to the next page while they were read (new
 * steps come first) is kept once.
 */
export async function listAllSteps(
  api: Pick<VelaApi, 'listSteps'>,
  where: { org: string; repo: string; build: number },
  options: { timeoutMs: () => number; signal: AbortSignal },
): Promise<Step[]> {
  const steps = new Map<string, Step>()
  for (let page = 1; page <= MAX_PAGES; page++) {
    const timeoutMs = options.timeoutMs()
    if (timeoutMs <= 0) throw new Error('the wait-timeout has passed')
    const items = await api.listSteps(where.org, where.repo, where.build, page, {
      timeoutMs,
      signal: options.signal,
    })
    for (const step of items) if (!steps.has(stepKey(step))) steps.set(stepKey(step), step)
    if (items.length < STEPS_PER_PAGE) break
  }
  return [...steps.values()].sort((a, b) => a.number - b.number)
}
