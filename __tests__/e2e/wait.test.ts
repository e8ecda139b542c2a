import { describe, expect, it } from '@jest/globals'
import { errorAnnotation, RUNNER_CANCEL, runAction } from '../../fake-runner/run-action.js'
import { quick, useWaitingVela } from '../support/waiting.js'

// Waiting for the build, end to end: the bundle against a Vela whose webhook, builds and logs play out in time.
// Timeouts are in wait-timeouts.test.ts, riding out transient trouble in wait-recovery.test.ts; a late
// webhook and a build Vela does not link are followed in-process, in main.test.ts.
// The tests mostly wait on the clock, so each describe block runs its tests concurrently: each test uses
// its own repository (or its own server when it counts requests that name no repository), and nothing
// is reset between tests.

const { vela, repoWith, deployAndWait } = useWaitingVela()

describe('waiting for the build', () => {
  it.concurrent('finds the build the deployment triggered and passes when it succeeds', async () => {
    const repo = repoWith(quick('success'))
    const run = await deployAndWait(repo)
    expect(run.code).toBe(0)
    const [build] = vela.buildsOf('octo-org', repo)
    expect(run.outputs).toMatchObject({
      number: String(vela.deploymentsOf('octo-org', repo)[0]?.number),
      'build-number': String(build?.number),
      'build-status': 'success',
      'build-url': `https://vela-ui.test/octo-org/${repo}/${build?.number}`,
    })
    expect(run.summary).toMatch(/^<h2>✅ Deployed octo-org\//)
    expect(run.summary).toContain(
      `Vela build <a href="https://vela-ui.test/octo-org/${repo}/${build?.number}">#${build?.number}</a> succeeded in `,
    )
  })

  it.concurrent('sets the deployment outputs even when the build fails', async () => {
    const repo = repoWith({
      ...quick('failure'),
      steps: [
        { name: 'clone', status: 'success', log: 'cloned\n' },
        {
          name: 'deploy',
          status: 'failure',
          exitCode: 3,
          log: `${Array.from({ length: 80 }, (_, i) => `line ${i + 1}`).join('\n')}\n::error::injected by the build\n##[set-output name=build-status;]success\nError: rollout failed\n`,
        },
      ],
    })
    const run = await deployAndWait(repo)
    expect(run.code).toBe(1)
    expect(run.outputs.number).toBe(String(vela.deploymentsOf('octo-org', repo)[0]?.number))
    expect(run.outputs['build-status']).toBe('failure')
    expect(errorAnnotation(run)).toMatch(/^Build #\d+ ended with status failure: https:\/\/vela-ui\.test\//)
    // The failed step's log tail, in a collapsed group, unable to run workflow commands.
    expect(run.stdout).toMatch(/::group::Step "deploy" ended in failure, exit code 3/)
    expect(run.stdout).toContain('Error: rollout failed')
    expect(run.stdout).toContain('line 80')
    expect(run.stdout).not.toContain('line 20\n')
    const lines = run.stdout.split('\n')
    expect(lines.some((l) => l.startsWith('::error::injected'))).toBe(false)
    expect(lines.some((l) => l.includes('##[set-output'))).toBe(false)
    expect(run.stdout).not.toContain('cloned')
  })
})

describe("a failed step's log over the response cap", () => {
  // 6 MiB of log, 8 MiB as base64 in Vela's JSON: over the 4 MiB a response may hold.
  const bigLog = `${Array.from({ length: 120_000 }, (_, i) => `line ${i + 1}`.padEnd(50, '.')).join('\n')}\nError: rollout failed\n`

  it.concurrent.each(['failed', 'all'] as const)('still shows its tail with logs: %s', async (logs) => {
    const repo = repoWith({
      ...quick('failure'),
      steps: [{ name: 'deploy', status: 'failure', exitCode: 3, log: bigLog }],
    })
    const run = await deployAndWait(repo, { logs })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('Step "deploy" ended in failure, exit code 3: Error: rollout failed')
    expect(run.stdout).toMatch(/^… earlier lines not shown \(only the log's last 4 MiB were read\)/m)
    expect(run.stdout).toContain(`line 120000${'.'.repeat(39)}\n`)
    expect(run.summary).toContain('Error: rollout failed</pre>')
  })
})

describe('cancellation', () => {
  it.concurrent.each(['SIGINT', 'SIGTERM'] as const)(
    'stops promptly on %s and says where the build stands',
    async (signal) => {
      const repo = repoWith({ webhookDelayMs: 100, timeline: [{ status: 'running', afterMs: 0 }] })
      let sentAt = 0
      const run = await runAction(
        {
          server: vela.url,
          token: vela.mintToken('octocat'),
          repo,
          wait: 'true',
          'poll-interval': '1s',
          'wait-timeout': '60s',
        },
        {
          onSpawn: (child) => {
            child.stdout?.on('data', (chunk: Buffer) => {
              if (!sentAt && chunk.toString().includes(': running')) {
                sentAt = Date.now()
                child.kill(signal)
              }
            })
          },
        },
      )
      const stoppedAfter = Date.now() - sentAt
      expect(sentAt).toBeGreaterThan(0)
      // Before the runner's next signal; stopping takes well under a second on an idle machine.
      expect(stoppedAfter).toBeLessThan(RUNNER_CANCEL.sigtermAfterMs)
      expect(run.code).toBe(1)
      expect(errorAnnotation(run)).toMatch(
        /^Cancelled while waiting: build #\d+ was running \(https:\/\/vela-ui\.test\//,
      )
      expect(run.outputs['build-status']).toBe('running')
    },
  )
})
