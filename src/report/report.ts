import { readWorkflowContext, type WorkflowContext } from '../inputs/workflow-context.js'
import { buildPage, deploymentsPage, githubPages, type GithubPages } from '../run/links.js'
import { Output } from '../inputs/names.js'
import type { FailedStep, FailureKind, RunRecord } from '../run/run-record.js'
import type { Runtime } from '../run/runtime.js'
import type { Job } from '../runner/job.js'
import { formatDuration } from '../shared/duration.js'
import { clip, errorText, escapeHtml, htmlLink } from '../shared/safe-text.js'
import { DEFAULT_TASK } from '../inputs/settings.js'
import { deploymentNumber, describeEra, serverEra, type Build } from '../vela/schemas.js'
import { Status } from '../vela/statuses.js'
import { BLOCK_SEPARATOR, leftOut, SummaryBudget } from './summary-size.js'

/**
 * Sets the outputs the run knows: the deployment's once it exists, the build's once it was seen. Later steps
 * read them, so a run that cannot write them fails, in one line, whatever Vela did.
 */
export function writeOutputs(record: RunRecord, job: Job): void {
  try {
    setKnownOutputs(record, job)
  } catch (error) {
    job.setFailed(`Could not write the step's outputs (GITHUB_OUTPUT): ${errorText(error)}`)
  }
}

function setKnownOutputs(record: RunRecord, job: Job): void {
  const { deployment, build } = record
  if (deployment) {
    job.setOutput(Output.id, deployment.id ?? '')
    job.setOutput(Output.number, deploymentNumber(deployment))
    job.setOutput(Output.commit, deployment.commit ?? '')
    job.setOutput(Output.ref, deployment.ref ?? '')
    job.setOutput(Output.target, deployment.target ?? '')
    job.setOutput(Output.task, deployment.task ?? '')
    job.setOutput(Output.url, deployment.url ?? '')
    job.setOutput(Output.deployment, record.deploymentJson ?? JSON.stringify(deployment))
  }
  if (build) {
    job.setOutput(Output.buildNumber, build.number)
    job.setOutput(Output.buildStatus, build.status ?? '')
    job.setOutput(Output.buildUrl, buildPage(build, record.settings) ?? '')
  }
  if (record.environmentUrl) job.setOutput(Output.environmentUrl, record.environmentUrl)
}

/** Lines of a failed step's log the summary shows; the job log shows more. */
const SUMMARY_LOG_LINES = 20
/** A build's status as the summary's line says it; other statuses are named as they are. */
const BUILD_OUTCOME = new Map<string, string>([
  [Status.success, 'succeeded'],
  [Status.failure, 'failed'],
  [Status.error, 'ended in an error'],
  [Status.canceled, 'was canceled'],
  [Status.killed, 'was killed'],
  [Status.pending, 'was still pending'],
  [Status.pendingApproval, 'was waiting for approval'],
  [Status.running, 'was still running'],
])

function row(label: string, valueHtml: string): string {
  return `<tr><th align="left">${escapeHtml(label)}</th><td>${valueHtml}</td></tr>`
}

function code(text: string): string {
  return `<code>${escapeHtml(text)}</code>`
}

/** A ref as people name it: `refs/tags/v1.2.3` → `v1.2.3`, `refs/heads/main` → `main`. */
function shortRef(ref: string): string {
  return ref.replace(/^refs\/(?:heads|tags)\//, '')
}

/** A ref's page on GitHub: a commit's, a branch's or tag's files, none for other refs (`refs/pull/1/head`). */
function refPage(ref: string, github: GithubPages): string | undefined {
  if (/^[0-9a-f]{40}$/i.test(ref)) return github.commit(ref)
  const short = shortRef(ref)
  return short.startsWith('refs/') ? undefined : github.tree(short)
}

function buildDuration(build: Build): number | undefined {
  const { started, finished } = build
  return started && finished && finished >= started ? finished - started : undefined
}

/** The line under the heading: the build, how it went and for how long, who deployed, the environment. */
function buildLine(record: RunRecord, github: GithubPages): string | undefined {
  const { settings, deployment, build } = record
  const facts: string[] = []
  if (build) {
    const number = htmlLink(buildPage(build, settings), `#${build.number}`)
    const status = clip(build.status ?? 'unknown', 'word')
    const seconds = buildDuration(build)
    const took =
      seconds === undefined
        ? ''
        : ` ${status === Status.success ? 'in' : 'after'} ${formatDuration(seconds * 1_000)}`
    const step = record.failedSteps?.[0]
    const error = build.error ? ` (${escapeHtml(clip(build.error, 'message'))})` : ''
    const where = step
      ? ` at step <strong>${escapeHtml(clip(step.name, 'short'))}</strong>${step.exitCode ? ` (exit code ${step.exitCode})` : ''}`
      : ''
    facts.push(
      `Vela build ${number} ${escapeHtml(BUILD_OUTCOME.get(status) ?? `has status ${status}`)}${error}${took}${where}`,
    )
  } else if (deployment && !settings.wait && !record.failure) {
    facts.push('The build was not awaited (<code>wait: false</code>)')
  }
  const deployer = deployment?.created_by || build?.author
  if (deployer) facts.push(`deployed by <strong>${escapeHtml(clip(deployer, 'short'))}</strong>`)
  const target = deployment?.target && clip(deployment.target, 'short')
  if (target) facts.push(htmlLink(github.environment(target), `${target} environment`))
  if (record.environmentUrl) facts.push(htmlLink(record.environmentUrl, 'View deployment'))
  return facts.length > 0 ? `<p>${facts.join(' · ')}</p>` : undefined
}

function failureHeading(kind: FailureKind, what: string): string {
  switch (kind) {
    case 'timed-out':
      return `⏱ Timed out deploying ${what}`
    case 'cancelled':
      return `⏹ Cancelled deploy of ${what}`
    case 'build-failed':
    case 'other':
      return `❌ Deploy of ${what} failed`
  }
}

function heading(record: RunRecord, what: string): string {
  const { build, failure } = record
  if (failure) return failureHeading(failure.kind, what)
  // Without a failure the deployment exists; with a build, the wait saw it succeed.
  return build ? `✅ Deployed ${what}` : `✅ Started deploy of ${what}`
}

/** The deployment as the heading names it: repository, ref and target, or a followed one's number until read. */
function deploymentTold({ settings, deployment }: RunRecord, ref: string | undefined): string {
  const repository = escapeHtml(`${settings.org}/${settings.repo}`)
  // Following, the ref and target inputs are not read: only Vela's answer tells them.
  if (settings.deployment !== undefined && !deployment)
    return `${repository} deployment ${settings.deployment}`
  const target = clip(deployment?.target ?? settings.target, 'short')
  return `${repository}${ref ? ` ${code(shortRef(ref))}` : ''} to ${escapeHtml(target)}`
}

/**
 * The deployment's parameters: for a create, what was sent; for a followed deployment, what Vela holds (its
 * `payload`, or, where the webhook stored it without them on v0.23–v0.25, its build's `deploy_payload`).
 */
function deployedParameters({ settings, deployment, build }: RunRecord): Array<[string, string]> {
  if (settings.deployment === undefined) return Object.entries(settings.parameters)
  const stored = parameterEntries(deployment?.payload)
  return stored.length > 0 ? stored : parameterEntries(build?.deploy_payload)
}

function parameterEntries(payload: unknown): Array<[string, string]> {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return []
  return Object.entries(payload).map(([key, value]) => [
    key,
    typeof value === 'string' ? value : JSON.stringify(value),
  ])
}

/**
 * Renders the job summary, result first, within SUMMARY_MAX_BYTES: the heading and the result always, then
 * what fits, a note in place of what did not. Every value from inputs or the server is escaped, and each
 * from the server cut to a length. Blocks are separated by blank lines so each is its own HTML block to
 * GitHub's Markdown: a `<pre>` then keeps its blank lines, and no block's text is read as Markdown.
 */
export function renderSummary(record: RunRecord, context: WorkflowContext = readWorkflowContext()): string {
  const { settings, deployment, build, failure } = record
  const budget = new SummaryBudget()
  const ref = clipped(deployment?.ref ?? settings.ref)
  const what = deploymentTold(record, ref)
  if (record.dryRunRequest !== undefined) {
    return [
      budget.keep(`<h2>🧪 Dry run: deploy of ${what}</h2>`),
      budget.keep(`<p>Nothing was sent. This request would create the deployment:</p>`),
      budget.fit(`<pre>${escapeHtml(record.dryRunRequest)}</pre>`, 'The request is'),
    ].join(BLOCK_SEPARATOR)
  }
  const github = githubPages(context.serverUrl, settings)
  const line = buildLine(record, github)
  const top = [budget.keep(`<h2>${heading(record, what)}</h2>`), ...(line ? [budget.keep(line)] : [])]
  // A failed build's line under the heading already says what its failure message would.
  const message =
    failure && !(failure.kind === 'build-failed' && build)
      ? [budget.fit(`<p>${escapeHtml(failure.message)}</p>`, 'The failure message is')]
      : []
  const facts = factsTable(record, github, ref)
  const table = facts ? [budget.fit(facts, 'The table of facts is')] : []
  const parameters = parametersBlock(deployedParameters(record))
  const details = parameters ? [budget.fit(parameters, 'The parameters are')] : []
  // The failed steps' lines take the room the rest left.
  const steps = stepBlocks(record.failedSteps ?? [], budget)
  return [...top, ...message, ...steps, ...table, ...details].join(BLOCK_SEPARATOR)
}

/** Server text for the summary, cut to a name's length. */
function clipped(text: string | undefined): string | undefined {
  return text === undefined ? undefined : clip(text, 'short')
}

/** The facts about the deployment, as a table; none when nothing is known. */
function factsTable(record: RunRecord, github: GithubPages, ref: string | undefined): string | undefined {
  const { settings, deployment, build } = record
  const rows: string[] = []
  const commit = clipped(deployment?.commit)
  if (commit) rows.push(row('Commit', htmlLink(github.commit(commit), commit.slice(0, 7))))
  if (ref) rows.push(row('Ref', htmlLink(refPage(ref, github), shortRef(ref))))
  if (deployment) {
    const number = String(deploymentNumber(deployment))
    rows.push(row('Vela deployment', htmlLink(deploymentsPage(settings, build), number)))
    const version = clipped(record.serverVersion) ?? describeEra(serverEra(deployment))
    rows.push(row('Vela server', escapeHtml(version)))
  }
  const task = deployment?.task ?? settings.task
  if (task !== DEFAULT_TASK) rows.push(row('Task', code(clip(task, 'short'))))
  return rows.length > 0 ? `<table>${rows.join('')}</table>` : undefined
}

function parametersBlock(entries: ReadonlyArray<[string, string]>): string | undefined {
  if (entries.length === 0) return undefined
  const rows = entries.map(([key, value]) => `<tr><td>${code(key)}</td><td>${code(value)}</td></tr>`)
  return `<details><summary>Parameters (${entries.length})</summary><table><tr><th>Name</th><th>Value</th></tr>${rows.join('')}</table></details>`
}

/** The failed steps' last lines, the first failed step first, as many as the room left allows. */
function stepBlocks(steps: readonly FailedStep[], budget: SummaryBudget): string[] {
  const withLines = steps.filter((step) => step.lastLines.length > 0)
  const blocks: string[] = []
  for (const [index, step] of withLines.entries()) {
    const block = lastLinesBlock(step, budget)
    if (block === undefined) {
      const more = withLines.length - index
      blocks.push(
        budget.keep(leftOut(`The last lines of ${more} more failed step${more === 1 ? ' is' : 's are'}`)),
      )
      break
    }
    blocks.push(budget.keep(block))
  }
  return blocks
}

/** A failed step's last lines: as many as fit, from the last, saying how many were left out; none if none fit. */
function lastLinesBlock(step: FailedStep, budget: SummaryBudget): string | undefined {
  const lines = step.lastLines.slice(-SUMMARY_LOG_LINES)
  const name = `<strong>${escapeHtml(clip(step.name, 'short'))}</strong>`
  for (let cut = 0; cut < lines.length; cut++) {
    const earlier = cut > 0 ? ` (${cut} earlier lines left out to keep this summary small)` : ''
    const block = `<p>Last lines of step ${name}${escapeHtml(earlier)}:</p>${BLOCK_SEPARATOR}<pre>${escapeHtml(lines.slice(cut).join('\n'))}</pre>`
    if (budget.fits(block)) return block
  }
  return undefined
}

/** Appends the summary to the job's; a summary that cannot be written is worth a warning, not a failure. */
export async function writeSummary(
  record: RunRecord,
  { log, job }: Pick<Runtime, 'log' | 'job'>,
): Promise<void> {
  try {
    await job.appendSummary(renderSummary(record))
  } catch (error) {
    log.warning(`Could not write the job summary: ${errorText(error)}`)
  }
}
