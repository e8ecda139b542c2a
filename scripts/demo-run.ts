// A deployment of octo-org/web-app to a local Vela stand-in, run by the bundled action the way the runner
// runs it. Shared by `npm run demo` and `npm run screenshots`.

import { startFakeVela } from '../fake-vela/index.js'
import { runAction, type ActionRun } from '../fake-runner/run-action.js'

export const DEMO_PAT = 'ghp_demoPersonalAccessToken0000000000000'

export const DEMO_INPUTS = {
  token: DEMO_PAT,
  target: 'production',
  payload: 'region: us-west-1\nreplicas: 3\nversion: 1.10\n',
  wait: 'true',
  'poll-interval': '1s',
  'wait-timeout': '2m',
}

export interface DemoRun {
  /** The stand-in's address, which the run used as `server`. */
  server: string
  run: ActionRun
  /** Deployments the stand-in holds afterwards. */
  deployments: number
}

/** Runs one deployment whose build succeeds, or fails in its `deploy` step. */
export async function runDemo({
  failing,
  onStdout,
}: {
  failing: boolean
  onStdout?: (text: string) => void
}): Promise<DemoRun> {
  const vela = await startFakeVela({ webUiAddr: 'https://vela.example.com' })
  try {
    vela.addUser('octocat')
    vela.addPat(DEMO_PAT, 'octocat')
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
            ? 'Rendering manifests for us-west-1\nApplying 3 replicas\nWaiting for rollout of web-app\nError: deployment "web-app" exceeded its progress deadline\n'
            : 'Rendering manifests for us-west-1\nApplying 3 replicas\nRollout complete\n',
        },
      ],
    })
    const run = await runAction({ server: vela.url, ...DEMO_INPUTS }, onStdout ? { onStdout } : {})
    return { server: vela.url, run, deployments: vela.deploymentsOf('octo-org', 'web-app').length }
  } finally {
    await vela.close()
  }
}
