import { errorText, quote, safeInline } from '../shared/safe-text.js'
import { HOOKS_PER_PAGE, type VelaApi } from '../vela/api.js'
import type { Deployment, Hook } from '../vela/schemas.js'

const TIMEOUT_MS = 5_000

/** Why Vela may have created no build; the create response tells some of it at once. */
export function immediateWarnings(deployment: Deployment, org: string, repo: string): string[] {
  const warnings: string[] = []
  if (deployment.repo?.active === false) {
    warnings.push(`Vela has ${org}/${repo} marked inactive, so it creates no build for this deployment`)
  }
  if (deployment.repo?.allow_events?.deployment?.created === false) {
    warnings.push(
      `${org}/${repo} has the deployment event disabled in Vela (allow_events.deployment.created is false), so no build will run; enable it in the repository settings in Vela`,
    )
  }
  return warnings
}

/** Pages of webhook records read at most (newest first) while looking back to the deployment's creation. */
const MAX_HOOK_PAGES = 10
/** Webhook records this long before the deployment's creation still count (clock skew). */
const SKEW_S = 60

/**
 * The likely reasons no build came, with what Vela recorded of the deployment webhook. Vela lists webhook
 * records of every event, newest first, so in a busy repository the pages are read back to `createdAt`
 * (Unix seconds: when the deployment was created).
 */
export async function explainMissingBuild(
  api: Pick<VelaApi, 'listHooks'>,
  org: string,
  repo: string,
  deployment: Deployment,
  createdAt: number,
  target: string,
  signal: AbortSignal,
): Promise<string> {
  const reasons = immediateWarnings(deployment, org, repo)
  try {
    const since = createdAt - SKEW_S
    const hooks: Hook[] = []
    let reachedCreation = false
    for (let page = 1; page <= MAX_HOOK_PAGES && !reachedCreation; page++) {
      const batch = await api.listHooks(org, repo, page, { timeoutMs: TIMEOUT_MS, signal })
      hooks.push(...batch)
      reachedCreation = batch.length < HOOKS_PER_PAGE || batch.some((h) => (h.created ?? 0) < since)
    }
    // The oldest deployment webhook since the creation is the one most likely to be this deployment's.
    const hook = hooks.filter((h) => h.event === 'deployment' && (h.created ?? 0) >= since).at(-1)
    if (hook) {
      const error = hook.error ? `: ${safeInline(hook.error)}` : ''
      reasons.push(
        `Vela's first deployment webhook since the deployment was created (hook ${hook.number ?? '?'}) has status ${safeInline(hook.status ?? 'unknown', 'word')}${error}`,
      )
    } else if (reachedCreation) {
      reasons.push(
        'Vela has recorded no deployment webhook since the deployment was created; check that GitHub delivers webhooks to Vela',
      )
    } else {
      reasons.push(
        `Vela has recorded no deployment webhook among its newest ${hooks.length} webhook records, which do not reach back to the deployment's creation`,
      )
    }
  } catch (error) {
    reasons.push(`(could not read Vela's webhook records: ${errorText(error)})`)
  }
  reasons.push(
    `the pipeline may skip every step for the deployment event or target ${quote(target)} (check its rulesets)`,
  )
  return reasons.join('; ')
}
