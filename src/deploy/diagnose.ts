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

/** What bounds the diagnosis: it ends by `deadline` (epoch ms), the end of `wait-timeout`. */
interface DiagnosisOptions {
  deadline: number
  signal: AbortSignal
  clock: { now(): number }
}

/**
 * The likely reasons no build came, with what Vela recorded of the deployment webhook. Vela lists webhook
 * records of every event, newest first, so in a busy repository the pages are read back to `createdAt`
 * (Unix seconds: when the deployment was created), as far as time before the deadline allows.
 */
export async function explainMissingBuild(
  api: Pick<VelaApi, 'listHooks'>,
  where: { org: string; repo: string; target: string },
  deployment: Deployment,
  createdAt: number,
  options: DiagnosisOptions,
): Promise<string> {
  const { org, repo, target } = where
  const reasons = immediateWarnings(deployment, org, repo)
  try {
    const since = createdAt - SKEW_S
    reasons.push(describeWebhook(await readHooksSince(api, org, repo, since, options), since))
  } catch (error) {
    reasons.push(`(could not read Vela's webhook records: ${errorText(error)})`)
  }
  reasons.push(
    `the pipeline may skip every step for the deployment event or target ${quote(target)} (check its rulesets)`,
  )
  return reasons.join('; ')
}

interface HookPages {
  hooks: Hook[]
  /** The pages read reach back to `since`. */
  reachedCreation: boolean
  /** Reading stopped at the deadline, before reaching back to `since`. */
  outOfTime: boolean
}

/** Reads webhook records, newest first, back to `since` (Unix seconds), within MAX_HOOK_PAGES and the deadline. */
async function readHooksSince(
  api: Pick<VelaApi, 'listHooks'>,
  org: string,
  repo: string,
  since: number,
  { deadline, signal, clock }: DiagnosisOptions,
): Promise<HookPages> {
  const pages: HookPages = { hooks: [], reachedCreation: false, outOfTime: false }
  for (let page = 1; page <= MAX_HOOK_PAGES && !pages.reachedCreation; page++) {
    const left = deadline - clock.now()
    if (left <= 0) {
      pages.outOfTime = true
      break
    }
    const batch = await api.listHooks(org, repo, page, { timeoutMs: Math.min(TIMEOUT_MS, left), signal })
    pages.hooks.push(...batch)
    pages.reachedCreation = batch.length < HOOKS_PER_PAGE || batch.some((h) => (h.created ?? 0) < since)
  }
  return pages
}

/** What the webhook records read tell of the deployment's webhook. */
function describeWebhook({ hooks, reachedCreation, outOfTime }: HookPages, since: number): string {
  // The oldest deployment webhook since the creation is the one most likely to be this deployment's.
  const hook = hooks.filter((h) => h.event === 'deployment' && (h.created ?? 0) >= since).at(-1)
  if (hook) {
    const error = hook.error ? `: ${safeInline(hook.error)}` : ''
    return `Vela's first deployment webhook since the deployment was created (hook ${hook.number ?? '?'}) has status ${safeInline(hook.status ?? 'unknown', 'word')}${error}`
  }
  if (reachedCreation) {
    return 'Vela has recorded no deployment webhook since the deployment was created; check that GitHub delivers webhooks to Vela'
  }
  if (outOfTime && hooks.length === 0) {
    return "(no time was left within wait-timeout to read Vela's webhook records)"
  }
  const read = outOfTime ? ' read within wait-timeout' : ''
  return `Vela has recorded no deployment webhook among its newest ${hooks.length} webhook records${read}, which do not reach back to the deployment's creation`
}
