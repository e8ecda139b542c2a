// Runs the bundled action against a local Vela stand-in, the way the GitHub runner would, and shows what a
// workflow's user would see: the step's log as the runner's log viewer shows it, the outputs and the job
// summary (as text here, and as a page to open in a browser).
//
//   npm run demo                a deployment whose build succeeds
//   npm run demo -- --fail      a deployment whose build fails, with the failed step's log
//   npm run demo -- --debug     also the debug lines, as with step debug logging turned on
//   npm run demo -- --expand    with the log's groups open

import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ACTION_NODE } from '../fake-runner/run-action.js'
import { DEMO_INPUTS, runDemo } from './demo-run.js'
import { logText, readRunnerLog, summaryPage, summaryText } from '../fake-runner/runner-view.js'

const failing = process.argv.includes('--fail')
const view = { debug: process.argv.includes('--debug'), expand: process.argv.includes('--expand') }

const version = execFileSync(ACTION_NODE, ['--version'], { encoding: 'utf8' }).trim()
console.log(`Running dist/index.js on Node ${version}, against a local Vela stand-in, with:`)
for (const [name, value] of Object.entries(DEMO_INPUTS)) {
  const shown = name === 'token' ? '${{ secrets.VELA_TOKEN }}' : JSON.stringify(value)
  console.log(`  ${name}: ${shown}`)
}
console.log(`(the build takes about 6 s${failing ? ' and fails' : ''})\n`)

const { server, run, deployments } = await runDemo({ failing })

console.log('─── the step’s log, as GitHub shows it ───')
for (const line of logText(readRunnerLog(run.stdout), view)) console.log(line)
if (run.stderr) process.stderr.write(run.stderr)
console.log(`─── the step ${run.code === 0 ? 'passed' : `failed (exit code ${String(run.code)})`} ───\n`)

console.log('Outputs (steps.<id>.outputs.<name>):')
for (const [name, value] of Object.entries(run.outputs)) {
  const shown = value.length > 90 ? `${value.slice(0, 87)}...` : value
  console.log(`  ${name} = ${shown}`)
}
console.log(
  [
    '',
    `  id (${run.outputs.id ?? ''}) is Vela's own record of the deployment, counted by this Vela server.`,
    `  number (${run.outputs.number ?? ''}) is the deployment number: the GitHub deployment's id, which Vela's`,
    '  UI and API use for the deployment and its build carries as deploy_number. Use number.',
    '',
  ].join('\n'),
)

const directory = join(tmpdir(), 'vela-deploy-action-demo')
mkdirSync(directory, { recursive: true })
const page = join(directory, failing ? 'summary-failure.html' : 'summary-success.html')
writeFileSync(page, summaryPage(run.summary))
console.log('Job summary:\n')
console.log(summaryText(run.summary).replace(/^(?=.)/gm, '  '))
console.log(`\nThe summary as GitHub renders it: ${page}`)
console.log(`The stand-in at ${server} now holds ${deployments} deployment${deployments === 1 ? '' : 's'}.`)
