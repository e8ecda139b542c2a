// Runs the bundled action against a local Vela stand-in, the way the GitHub runner would, and shows what a
// workflow would see: the log, the outputs and the job summary.
//
//   npm run demo              a deployment whose build succeeds
//   npm run demo -- --fail    a deployment whose build fails, with the failed step's log

import { execFileSync } from 'node:child_process'
import { startFakeVela } from '../fake-vela/index.js'
import { ACTION_NODE, runAction } from '../fake-runner/run-action.js'

const failing = process.argv.includes('--fail')
const PAT = 'ghp_demoPersonalAccessToken0000000000000'

const vela = await startFakeVela({ webUiAddr: 'https://vela.example.com' })
vela.addUser('octocat')
vela.addPat(PAT, 'octocat')
vela.addRepo('octo-org', 'web-app', {
  refs: { 'refs/tags/v1.2.3': '9f1c0e5d4b3a29180716f5e4d3c2b1a098765432' },
  deploymentConfig: {
    targets: ['staging', 'production'],
    parameters: {
      region: { type: 'string', required: true, options: ['us-east-1', 'us-west-1'] },
      replicas: { type: 'integer', min: 1, max: 10 },
    },
  },
})
vela.setBuildPlan('octo-org', 'web-app', {
  webhookDelayMs: 1_500,
  timeline: [
    { status: 'pending', afterMs: 0 },
    { status: 'running', afterMs: 1_000 },
    { status: failing ? 'failure' : 'success', afterMs: 4_000 },
  ],
  steps: [
    { name: 'init', status: 'success' },
    { name: 'clone', status: 'success' },
    {
      name: 'deploy',
      status: failing ? 'failure' : 'success',
      exitCode: failing ? 1 : 0,
      log: failing
        ? 'Rendering manifests for us-west-1\nApplying 3 replicas\nError: deployment "web-app" exceeded its progress deadline\n'
        : 'Rendering manifests for us-west-1\nApplying 3 replicas\nRollout complete\n',
    },
  ],
})

const inputs = {
  server: vela.url,
  token: PAT,
  target: 'production',
  payload: 'region: us-west-1\nreplicas: 3\nversion: 1.10\n',
  wait: 'true',
  'poll-interval': '1s',
  'wait-timeout': '2m',
}

const version = execFileSync(ACTION_NODE, ['--version'], { encoding: 'utf8' }).trim()
console.log(`Local Vela stand-in listening at ${vela.url}`)
console.log(`Running dist/index.js on Node ${version} with:`)
for (const [name, value] of Object.entries(inputs)) console.log(`  ${name}: ${JSON.stringify(value)}`)
console.log('\n--- action log ---')

try {
  const run = await runAction(inputs, { onStdout: (text) => process.stdout.write(text) })
  process.stderr.write(run.stderr)
  console.log(`--- exit code ${run.code} ---\n`)
  console.log('Outputs:')
  for (const [name, value] of Object.entries(run.outputs)) {
    const shown = value.length > 100 ? `${value.slice(0, 97)}...` : value
    console.log(`  ${name} = ${shown}`)
  }
  console.log('\nJob summary (HTML written to GITHUB_STEP_SUMMARY):')
  console.log(run.summary)
  console.log(`\nDeployments the stand-in now holds: ${vela.deploymentsOf('octo-org', 'web-app').length}`)
} finally {
  await vela.close()
}
