import { readWorkflowContext, type WorkflowContext } from '../inputs/workflow-context.js'
import { buildPage, deploymentsPage, githubPages, type GithubPages } from '../run/links.js'
import { Output } from '../inputs/names.js'
import type { FailureKind, RunRecord } from '../run/run-record.js'
import type { Runtime } from '../run/runtime.js'
import type { Job } from '../runner/job.js'
import { formatDuration } from '../shared/duration.js'
import { errorText, escapeHtml, htmlLink } from '../shared/safe-text.js'
import { DEFAULT_TASK } from '../inputs/settings.js'
import { deploymentNumber, describeEra, serverEra, type Build } from '../vela/schemas.js'
import { Status } from '../vela/statuses.js'

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
    const status = build.status ?? 'unknown'
    const seconds = buildDuration(build)
    const took =
      seconds === undefined
        ? ''
        : ` ${status === Status.success ? 'in' : 'after'} ${formatDuration(seconds * 1_000)}`
    const step = record.failedSteps?.[0]
    const error = build.error ? ` (${escapeHtml(build.error)})` : ''
    const where = step
      ? ` at step <strong>${escapeHtml(step.name)}</strong>${step.exitCode ? ` (exit code ${step.exitCode})` : ''}`
      : ''
    facts.push(
      `Vela build ${number} ${escapeHtml(BUILD_OUTCOME.get(status) ?? `has status ${status}`)}${error}${took}${where}`,
    )
  } else if (deployment && !settings.wait && !record.failure) {
    facts.push('The build was not awaited (<code>wait: false</code>)')
  }
  const deployer = deployment?.created_by || build?.author
  if (deployer) facts.push(`deployed by <strong>${escapeHtml(deployer)}</strong>`)
  const target = deployment?.target
  if (target) facts.push(htmlLink(github.environment(target), `${target} environment`))
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

/**
 * Renders the job summary, result first. Every value from inputs or the server is escaped. Blocks are
 * separated by blank lines so each is its own HTML block to GitHub's Markdown: a `<pre>` then keeps its
 * blank lines, and no block's text is read as Markdown.
 */
export function renderSummary(record: RunRecord, context: WorkflowContext = readWorkflowContext()): string {
  const { settings, deployment, build, failure } = record
  const github = githubPages(context.serverUrl, settings)
  const ref = deployment?.ref ?? settings.ref
  const target = deployment?.target ?? settings.target
  const what = `${escapeHtml(`${settings.org}/${settings.repo}`)}${ref ? ` ${code(shortRef(ref))}` : ''} to ${escapeHtml(target)}`
  const parts: string[] = []
  if (record.dryRunRequest !== undefined) {
    parts.push(`<h2>🧪 Dry run: deploy of ${what}</h2>`)
    parts.push(`<p>Nothing was sent. This request would create the deployment:</p>`)
    parts.push(`<pre>${escapeHtml(record.dryRunRequest)}</pre>`)
    return parts.join('\n\n')
  }
  parts.push(`<h2>${heading(record, what)}</h2>`)
  const line = buildLine(record, github)
  if (line) parts.push(line)
  // A failed build's line under the heading already says what its failure message would.
  if (failure && !(failure.kind === 'build-failed' && build))
    parts.push(`<p>${escapeHtml(failure.message)}</p>`)
  for (const step of record.failedSteps ?? []) {
    if (step.lastLines.length === 0) continue
    const lines = step.lastLines.slice(-SUMMARY_LOG_LINES)
    parts.push(`<p>Last lines of step <strong>${escapeHtml(step.name)}</strong>:</p>`)
    parts.push(`<pre>${escapeHtml(lines.join('\n'))}</pre>`)
  }
  const rows: string[] = []
  if (deployment?.commit) {
    rows.push(row('Commit', htmlLink(github.commit(deployment.commit), deployment.commit.slice(0, 7))))
  }
  if (ref) {
    rows.push(row('Ref', htmlLink(refPage(ref, github), shortRef(ref))))
  }
  if (deployment) {
    const number = String(deploymentNumber(deployment))
    rows.push(row('Vela deployment', htmlLink(deploymentsPage(settings, build), number)))
    rows.push(row('Vela server', escapeHtml(record.serverVersion ?? describeEra(serverEra(deployment)))))
  }
  const task = deployment?.task ?? settings.task
  if (task !== DEFAULT_TASK) rows.push(row('Task', code(task)))
  if (rows.length > 0) parts.push(`<table>${rows.join('')}</table>`)
  const parameters = Object.entries(settings.parameters)
  if (parameters.length > 0) {
    parts.push(
      `<details><summary>Parameters (${parameters.length})</summary><table><tr><th>Name</th><th>Value</th></tr>${parameters
        .map(([key, value]) => `<tr><td>${code(key)}</td><td>${code(value)}</td></tr>`)
        .join('')}</table></details>`,
    )
  }
  return parts.join('\n\n')
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
