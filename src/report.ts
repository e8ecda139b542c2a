import * as core from '@actions/core'
import { buildPage, deploymentsPage } from './links.js'
import { Output } from './names.js'
import type { RunRecord } from './run-record.js'
import { errorText, escapeHtml, htmlLink } from './safe-text.js'
import { deploymentNumber, describeEra, serverEra } from './vela/schemas.js'

/** How the summary names a failure, by the error's code; anything else is "Failed". */
const FAILURE_LABEL = new Map([
  ['WAIT_TIMEOUT', 'Timed out'],
  ['CANCELLED', 'Cancelled'],
])

/** Sets the outputs the run knows: the deployment's once it exists, the build's once it was seen. */
export function writeOutputs(record: RunRecord): void {
  const { deployment, build } = record
  if (deployment) {
    core.setOutput(Output.id, deployment.id ?? '')
    core.setOutput(Output.number, deploymentNumber(deployment))
    core.setOutput(Output.commit, deployment.commit ?? '')
    core.setOutput(Output.ref, deployment.ref ?? '')
    core.setOutput(Output.target, deployment.target ?? '')
    core.setOutput(Output.task, deployment.task ?? '')
    core.setOutput(Output.url, deployment.url ?? '')
    core.setOutput(Output.deployment, record.deploymentJson ?? JSON.stringify(deployment))
  }
  if (build) {
    core.setOutput(Output.buildNumber, build.number)
    core.setOutput(Output.buildStatus, build.status ?? '')
    core.setOutput(Output.buildUrl, buildPage(build, record.settings) ?? '')
  }
}

function row(label: string, valueHtml: string): string {
  return `<tr><th align="left">${escapeHtml(label)}</th><td>${valueHtml}</td></tr>`
}

function code(text: string | undefined): string {
  return text ? `<code>${escapeHtml(text)}</code>` : ''
}

/** Renders the job summary. Every value from inputs or the server is escaped. */
export function renderSummary(record: RunRecord): string {
  const { settings, deployment, build, failure } = record
  const repository = `${settings.org}/${settings.repo}`
  const parts: string[] = []
  if (record.dryRunRequest !== undefined) {
    parts.push(`<h2>Vela deployment (dry run)</h2>`)
    parts.push(`<p>Nothing was sent. This request would create the deployment:</p>`)
    parts.push(`<pre>${escapeHtml(record.dryRunRequest)}</pre>`)
    return parts.join('\n')
  }
  const number = deployment ? String(deploymentNumber(deployment)) : undefined
  parts.push(
    `<h2>Vela deployment${number ? ` ${escapeHtml(number)}` : ''} of ${escapeHtml(repository)} to ${escapeHtml(deployment?.target ?? settings.target)}</h2>`,
  )
  if (failure) {
    const label = FAILURE_LABEL.get(failure.code ?? '') ?? 'Failed'
    parts.push(`<p><strong>${label}:</strong> ${escapeHtml(failure.message)}</p>`)
  }
  const rows = [
    row('Deployment', number ? htmlLink(deploymentsPage(settings), number) : 'not created'),
    row('Target', code(deployment?.target ?? settings.target)),
    row('Ref', code(deployment?.ref ?? settings.ref ?? '(default branch)')),
    row('Commit', code(deployment?.commit)),
    row('Task', code(deployment?.task ?? settings.task)),
  ]
  if (deployment?.url) rows.push(row('GitHub deployment', htmlLink(deployment.url, deployment.url)))
  if (deployment) {
    rows.push(row('Vela server', escapeHtml(record.serverVersion ?? describeEra(serverEra(deployment)))))
  }
  if (build) {
    rows.push(row('Build', htmlLink(buildPage(build, settings), `#${build.number}`)))
    rows.push(row('Build status', code(build.status ?? 'unknown')))
  }
  parts.push(`<table>${rows.join('')}</table>`)
  const parameters = Object.entries(settings.parameters)
  if (parameters.length > 0) {
    parts.push('<h3>Parameters</h3>')
    parts.push(
      `<table><tr><th>Name</th><th>Value</th></tr>${parameters
        .map(([key, value]) => `<tr><td>${code(key)}</td><td>${code(value)}</td></tr>`)
        .join('')}</table>`,
    )
  }
  return parts.join('\n')
}

/** Appends the summary to GITHUB_STEP_SUMMARY; outside a runner there is none, which is fine. */
export async function writeSummary(record: RunRecord): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  try {
    await core.summary.addRaw(renderSummary(record), true).write()
  } catch (error) {
    core.warning(`Could not write the job summary: ${errorText(error)}`)
  }
}
