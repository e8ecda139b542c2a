import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startFakeVela, type FakeVela } from '../../fake-vela/index.js'
import {
  cancelLikeTheRunner,
  errorAnnotation,
  RUNNER_CANCEL,
  runAction,
  type ActionRun,
} from '../../fake-runner/run-action.js'
import { addFreshRepo } from '../support/waiting.js'
import { execFileSync } from 'node:child_process'
import { closeSync, constants, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

// The runner cancels a step with SIGINT, SIGTERM 7.5 s later and SIGKILL 2.5 s after that. Whatever the
// action is doing, it must have said what happened, set the outputs it knows and written the summary before
// SIGKILL could land. It listens for SIGTERM until its report is out, so a SIGTERM can end it only after
// that, in the moment between the report and the process's own exit (on a loaded machine, it does).

/** SIGKILL lands 10 s after SIGINT; the action must have exited before. */
const SIGKILL_AFTER_MS = RUNNER_CANCEL.sigtermAfterMs + RUNNER_CANCEL.sigkillAfterMs

/** A cancelled run failed by itself, or its report was out when the runner's SIGTERM came; not SIGKILL. */
function expectEndedBeforeSigkill(run: ActionRun, cancelledFor: number) {
  expect([
    [1, null],
    [null, 'SIGTERM'],
  ]).toContainEqual([run.code, run.signal])
  expect(cancelledFor).toBeLessThan(SIGKILL_AFTER_MS)
}
let vela: FakeVela

beforeAll(async () => {
  vela = await startFakeVela({ webUiAddr: 'https://vela-ui.test' })
  vela.addUser('octocat')
})

afterAll(async () => {
  await vela.close()
})

const freshRepo = () => addFreshRepo(vela)

const createRoute = (repo: string) => ({ method: 'POST', path: new RegExp(`/deployments/octo-org/${repo}$`) })

/** Runs the action and cancels it as the runner does once Vela has received the create request. */
async function cancelDuringCreate(repo: string, inputs: Record<string, string> = {}) {
  let sentAt = 0
  const run = await runAction(
    { server: vela.url, token: vela.mintToken('octocat'), repo, 'ui-url': 'https://vela-ui.test', ...inputs },
    {
      onSpawn: (child) => {
        const poll = setInterval(() => {
          if (vela.requests.some((r) => r.method === 'POST' && r.path.endsWith(`/octo-org/${repo}`))) {
            clearInterval(poll)
            sentAt = cancelLikeTheRunner(child)
          }
        }, 20)
        child.once('exit', () => {
          clearInterval(poll)
        })
      },
    },
  )
  return { run, cancelledFor: run.exitedAt - sentAt, sentAt }
}

describe("a cancel with the runner's sequence during a create", () => {
  it.concurrent(
    'whose answer never comes: says the outcome is unknown and where to check, before SIGKILL',
    async () => {
      const repo = freshRepo()
      vela.injectFault(createRoute(repo), { kind: 'stall', afterHandling: true })
      const { run, cancelledFor, sentAt } = await cancelDuringCreate(repo)
      expect(sentAt).toBeGreaterThan(0)
      expectEndedBeforeSigkill(run, cancelledFor)
      expect(errorAnnotation(run)).toBe(
        `Cancelled while the create request was in flight: the deployment of octo-org/${repo} may or may not exist; check https://vela-ui.test/octo-org/${repo}/deployments before running this again`,
      )
      expect(run.summary).toContain('may or may not exist')
      // It does exist: that is why the action could not say "nothing was created".
      expect(vela.deploymentsOf('octo-org', repo)).toHaveLength(1)
    },
    20_000,
  )

  it.concurrent(
    'whose answer comes 3 s after the cancel: reports the deployment, sets its outputs, and does not wait',
    async () => {
      const repo = freshRepo()
      // Well inside the 7 s the create is given, even if the action is held up for a few seconds.
      vela.injectFault(createRoute(repo), { kind: 'delay', delayMs: 3_000 })
      const { run, cancelledFor } = await cancelDuringCreate(repo, { wait: 'true' })
      const [deployment] = vela.deploymentsOf('octo-org', repo)
      expectEndedBeforeSigkill(run, cancelledFor)
      expect(run.stdout).toContain(`Created Vela deployment ${deployment?.number} of octo-org/${repo}`)
      // The answer came after the cancel, as this test means it to.
      expect(run.stdout).toMatch(
        /Received SIGINT: stopping; the create request in flight has 7s to be answered[\s\S]*Created Vela deployment/,
      )
      expect(run.outputs.number).toBe(String(deployment?.number))
      expect(errorAnnotation(run)).toMatch(
        /^Cancelled while waiting: no build of deployment \d+ had been seen yet/,
      )
      expect(run.summary).toContain(`⏹ Cancelled deploy of octo-org/${repo}`)
      expect(run.summary).toContain(`>${deployment?.number}</a>`)
    },
    20_000,
  )
})

describe('a signal while the run reports', () => {
  it.concurrent(
    'does not cut the report short: the summary is written and the run exits by itself',
    async () => {
      const repo = freshRepo()
      const dir = mkdtempSync(join(tmpdir(), 'vela-reporting-'))
      const outputFile = join(dir, 'output')
      const summaryPipe = join(dir, 'summary')
      writeFileSync(outputFile, '')
      // A named pipe holds the summary's write until it is read, so the signal surely lands while the run reports.
      execFileSync('mkfifo', [summaryPipe])
      let poll: NodeJS.Timeout | undefined
      try {
        let summary: Promise<string> | undefined
        const run = await runAction(
          { server: vela.url, token: vela.mintToken('octocat'), repo, wait: 'false' },
          {
            env: { GITHUB_OUTPUT: outputFile, GITHUB_STEP_SUMMARY: summaryPipe },
            onSpawn: (child) => {
              // The outputs are written just before the summary.
              poll = setInterval(() => {
                if (!readFileSync(outputFile, 'utf8').includes('number<<')) return
                clearInterval(poll)
                child.kill('SIGTERM')
                summary = readFile(summaryPipe, 'utf8')
              }, 20)
            },
          },
        )
        expect(run.signal).toBeNull()
        expect(run.code).toBe(0)
        expect(run.stdout).toContain('Received SIGTERM: stopping\n')
        expect(await summary).toContain(`Started deploy of octo-org/${repo}`)
      } finally {
        clearInterval(poll)
        releaseReader(summaryPipe)
        rmSync(dir, { recursive: true, force: true })
      }
    },
  )
})

/** A reader still waiting on the pipe, because the run was killed before it wrote, gets an empty end. */
function releaseReader(pipe: string) {
  try {
    closeSync(openSync(pipe, constants.O_WRONLY | constants.O_NONBLOCK))
  } catch {
    // ENXIO: no reader is waiting.
  }
}

// Cancelling the build when wait-timeout passes, the default of leaving it, and a refusal are in main.test.ts.
describe('cancel-build-on-abort', () => {
  /** A repository whose build runs for a minute, so it is still running when the wait stops. */
  function slowRepo(): string {
    const repo = freshRepo()
    vela.setBuildPlan('octo-org', repo, {
      webhookDelayMs: 0,
      timeline: [
        { status: 'pending', afterMs: 0 },
        { status: 'running', afterMs: 100 },
        { status: 'success', afterMs: 60_000 },
      ],
    })
    return repo
  }

  const cancelRequests = (repo: string) =>
    vela.requests.filter((r) => r.method === 'DELETE' && r.path.includes(`/repos/octo-org/${repo}/builds/`))

  it.concurrent(
    "cancels the running build in Vela on the runner's signals, before SIGKILL, and says so",
    async () => {
      const repo = slowRepo()
      let sentAt = 0
      const run = await runAction(
        {
          server: vela.url,
          token: vela.mintToken('octocat'),
          repo,
          'ui-url': 'https://vela-ui.test',
          'poll-interval': '1s',
          'cancel-build-on-abort': 'true',
        },
        {
          onSpawn: (child) => {
            // Once the action has said the build is running.
            child.stdout?.on('data', (chunk: Buffer) => {
              if (!sentAt && chunk.toString().includes(': running')) sentAt = cancelLikeTheRunner(child)
            })
          },
        },
      )
      const cancelledFor = run.exitedAt - sentAt
      const [build] = vela.buildsOf('octo-org', repo)
      expect(sentAt).toBeGreaterThan(0)
      expectEndedBeforeSigkill(run, cancelledFor)
      expect(cancelRequests(repo)).toHaveLength(1)
      expect(build?.status).toBe('canceled')
      expect(build?.error).toBe('running build was canceled by octocat')
      expect(run.stdout).toContain(`Build #${build?.number} was cancelled in Vela`)
      expect(run.outputs['build-status']).toBe('canceled')
      expect(errorAnnotation(run)).toMatch(
        new RegExp(
          `^Cancelled while waiting: build #${build?.number} was running .*\\. Build #${build?.number} was cancelled in Vela$`,
        ),
      )
      expect(run.summary).toContain(`⏹ Cancelled deploy of octo-org/${repo}`)
      expect(run.summary).toContain(`Build #${build?.number} was cancelled in Vela`)
    },
    20_000,
  )

  it.concurrent(
    'cancels a build that started after the last poll, looking once more before SIGKILL',
    async () => {
      // The build starts 1 s after the create; the next poll would come 30 s later. People cancel a deploy
      // in its first moments, while the action has not yet seen the build.
      const repo = freshRepo()
      vela.setBuildPlan('octo-org', repo, {
        webhookDelayMs: 1_000,
        timeline: [{ status: 'running', afterMs: 0 }],
      })
      let sentAt = 0
      const run = await runAction(
        {
          server: vela.url,
          token: vela.mintToken('octocat'),
          repo,
          'poll-interval': '30s',
          'cancel-build-on-abort': 'true',
        },
        {
          onSpawn: (child) => {
            const poll = setInterval(() => {
              if (sentAt || vela.buildsOf('octo-org', repo).length === 0) return
              clearInterval(poll)
              sentAt = cancelLikeTheRunner(child)
            }, 20)
            child.once('exit', () => {
              clearInterval(poll)
            })
          },
        },
      )
      const [build] = vela.buildsOf('octo-org', repo)
      expect(sentAt).toBeGreaterThan(0)
      expectEndedBeforeSigkill(run, run.exitedAt - sentAt)
      expect(cancelRequests(repo)).toHaveLength(1)
      expect(build?.status).toBe('canceled')
      expect(run.outputs['build-number']).toBe(String(build?.number))
      expect(errorAnnotation(run)).toMatch(
        new RegExp(
          `^Cancelled while waiting: no build of deployment \\d+ had been seen yet\\. Build #${build?.number}, found on a last look, was cancelled in Vela$`,
        ),
      )
    },
    20_000,
  )
})
