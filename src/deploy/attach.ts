import { DeploymentNotFoundError } from '../shared/errors.js'
import { deploymentsPage } from '../run/links.js'
import type { RunRecord } from '../run/run-record.js'
import type { Runtime } from '../run/runtime.js'
import { safeInline } from '../shared/safe-text.js'
import type { VelaApi } from '../vela/api.js'
import { CancelledError, VelaHttpError } from '../vela/errors.js'
import { deploymentNumber, type Deployment } from '../vela/schemas.js'

/** How many of the newest stored deployments are searched when GET by number cannot answer it (v0.23–v0.25). */
const SEARCH_PAGE_SIZE = 100

/**
 * Reads the existing deployment the `deployment` input names, and records it as a create would. The number is
 * GitHub's deployment id, as `number` and `build.deploy_number` carry it. GET …/:number answers it by that
 * number only since v0.26; v0.23–v0.25 look the number up as a database id (of any repository) and else answer
 * GitHub's copy, without `number`; v0.22 always answers GitHub's copy. So an answer is taken only when it names
 * the asked number; otherwise the stored deployments are searched, and GitHub's copy is the last resort.
 */
export async function attachDeployment(
  api: Pick<VelaApi, 'getDeployment' | 'listDeployments'>,
  record: RunRecord,
  number: number,
  signal: AbortSignal,
  runtime: Pick<Runtime, 'log'>,
): Promise<Deployment> {
  const { org, repo } = record.settings
  let deployment: Deployment
  try {
    deployment = await readDeployment(api, org, repo, number, signal)
  } catch (error) {
    if (!(error instanceof CancelledError)) throw error
    throw new CancelledError(
      `Cancelled while reading deployment ${number} of ${org}/${repo}; nothing was created`,
      { cause: error },
    )
  }
  const page = deploymentsPage(record.settings)
  runtime.log.info(
    `Following existing deployment ${number} of ${org}/${repo} (commit ${safeInline(deployment.commit ?? 'unknown', 'short')}, ref ${safeInline(deployment.ref ?? '')}, target ${safeInline(deployment.target ?? '')}); nothing is created${page ? `. Vela's deployments: ${safeInline(page)}` : ''}`,
  )
  record.deployment = deployment
  record.deploymentJson = JSON.stringify(deployment)
  return deployment
}

/** The deployment numbered `number`, found the way its era allows (see attachDeployment). */
async function readDeployment(
  api: Pick<VelaApi, 'getDeployment' | 'listDeployments'>,
  org: string,
  repo: string,
  number: number,
  signal: AbortSignal,
): Promise<Deployment> {
  let answered: Deployment | undefined
  let refusal: VelaHttpError | undefined
  try {
    answered = await api.getDeployment(org, repo, number, { signal })
  } catch (error) {
    // Vela answers a number GitHub does not know with 500 (GitHub's 404 inside), a missing row with 404.
    if (!(error instanceof VelaHttpError) || (error.status !== 404 && error.status !== 500)) throw error
    refusal = error
  }
  let deployment =
    answered?.number === number
      ? answered
      : (await api.listDeployments(org, repo, SEARCH_PAGE_SIZE, { signal })).find((d) => d.number === number)
  if (!deployment && answered && answered.number === undefined && deploymentNumber(answered) === number) {
    deployment = answered
  }
  if (!deployment) {
    throw new DeploymentNotFoundError(
      `Input 'deployment': Vela has no deployment ${number} of ${org}/${repo}${refusal ? ` (it answered ${refusal.status}: ${safeInline(refusal.said)})` : ''}; pass the number a create gave (the action's 'number' output)`,
      { cause: refusal },
    )
  }
  return deployment
}
