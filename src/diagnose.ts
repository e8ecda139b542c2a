import { errorText, quote, safeInline } from './safe-text.js'
import type { VelaApi } from './vela/api.js'
import type { Deployment } from './vela/schemas.js'

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

/** The likely reasons no build came, with what Vela recorded of the deployment webhook. */
export async function explainMissingBuild(
  api: Pick<VelaApi, 'listHooks'>,
  org: string,
  repo: string,
  deployment: Deployment,
  target: string,
  signal: AbortSignal,
): Promise<string> {
  const reasons = immediateWarnings(deployment, org, repo)
  try {
    const since = (deployment.created_at ?? 0) - 60
    const hooks = await api.listHooks(org, repo, { timeoutMs: TIMEOUT_MS, signal })
    const hook = hooks.find((h) => h.event === 'deployment' && (h.created ?? 0) >= since)
    if (hook) {
      const error = hook.error ? `: ${safeInline(hook.error)}` : ''
      reasons.push(
        `Vela's latest deployment webhook (hook ${hook.number ?? '?'}) has status ${safeInline(hook.status ?? 'unknown', 'word')}${error}`,
      )
    } else {
      reasons.push(
        'Vela has recorded no deployment webhook since the deployment was created; check that GitHub delivers webhooks to Vela',
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
