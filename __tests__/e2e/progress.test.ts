import { describe, expect, it } from '@jest/globals'
import type { BuildPlan, BuildStepPlan } from '../../fake-vela/index.js'
import { errorAnnotation } from '../../fake-runner/run-action.js'
import { addRepoWithPlan, deployAndWaitOn, useWaitingVela } from '../support/waiting.js'

// Step progress and the logs input, end to end: the bundle against a Vela whose steps run one after another.

const { vela } = useWaitingVela()

/** Running after 200 ms; three steps of `stepMs` each in two stages; the build ends 300 ms after them. */
const staged = (final: 'success' | 'failure', stepMs = 1_200): BuildPlan => {
  const steps: BuildStepPlan[] = [
    { name: 'clone', stage: 'build', status: 'success', runMs: stepMs, log: 'cloned\n' },
    {
      name: 'test',
      stage: 'build',
      status: 'success',
      runMs: stepMs,
      log: 'ok 1\n::error::forged by the build\n',
    },
    {
      name: 'deploy',
      stage: 'release',
      status: final,
      runMs: stepMs,
      exitCode: final === 'failure' ? 3 : 0,
      log: 'rolling out\nError: quota exceeded\n',
    },
  ]
  return {
    webhookDelayMs: 300,
    timeline: [
      { status: 'pending', afterMs: 0 },
      { status: 'running', afterMs: 200 },
      { status: final, afterMs: 200 + 3 * stepMs + 300 },
    ],
    steps,
  }
}

const logReads = (repo: string) =>
  vela.requests.filter(
    (r) =>
      r.method === 'GET' && r.path.includes(`/repos/octo-org/${repo}/`) && /\/steps\/\d+\/logs/.test(r.path),
  )
const lines = (stdout: string) => stdout.split('\n')

describe('step progress and logs', () => {
  it.concurrent(
    'reports each stage and step once as it starts and ends, and prints the build link once',
    async () => {
      // Steps of 3 s against polls each second: a step is seen running even when a poll comes 2 s late.
      const repo = addRepoWithPlan(vela, staged('success', 3_000))
      const run = await deployAndWaitOn(vela, repo, { logs: 'none' })
      expect(run.code).toBe(0)
      // Durations depend on when the reads fall; their form is checked in the unit tests.
      const progress = lines(run.stdout)
        .filter((line) => /^(Stage|Step) /.test(line))
        .map((line) => line.replace(/ in (under 1s|\d+s)$/, ' in …'))
      expect(progress).toEqual([
        'Stage "build" started',
        'Step "clone" started',
        'Step "clone" finished: success in …',
        'Step "test" started',
        'Step "test" finished: success in …',
        'Stage "build" finished: success',
        'Stage "release" started',
        'Step "deploy" started',
        'Step "deploy" finished: success in …',
        'Stage "release" finished: success',
      ])
      const [build] = vela.buildsOf('octo-org', repo)
      const link = `https://vela-ui.test/octo-org/${repo}/${build?.number}`
      expect(lines(run.stdout).filter((line) => line.includes(link))).toEqual([
        `Build #${build?.number}: ${link}`,
      ])
      expect(run.stdout).toMatch(new RegExp(`^Build #${build?.number} succeeded in \\d+s$`, 'm'))
      expect(logReads(repo)).toEqual([])
    },
  )

  it.concurrent(
    "with logs: all, shows every step's log in its own group as it finishes, reading each once",
    async () => {
      const repo = addRepoWithPlan(vela, staged('success'))
      const run = await deployAndWaitOn(vela, repo, { logs: 'all' })
      expect(run.code).toBe(0)
      for (const step of ['clone', 'test', 'deploy']) {
        expect(run.stdout).toMatch(new RegExp(`^::group::Step "${step}": success in (under 1s|\\d+s)$`, 'm'))
      }
      expect(run.stdout).toContain('rolling out')
      // Inert: the runner would take a line starting with :: as a command.
      expect(lines(run.stdout).some((line) => line.startsWith('::error::forged'))).toBe(false)
      expect(logReads(repo).map((r) => r.path.replace(/^.*\/steps\//, ''))).toEqual([
        '1/logs',
        '2/logs',
        '3/logs',
      ])
    },
  )

  it.concurrent(
    'with logs: all, a failed step shows once, with its last error line outside the group',
    async () => {
      const repo = addRepoWithPlan(vela, staged('failure'))
      const run = await deployAndWaitOn(vela, repo, { logs: 'all' })
      expect(run.code).toBe(1)
      expect(errorAnnotation(run)).toMatch(/^Build #\d+ ended with status failure/)
      const all = lines(run.stdout)
      const group = all.findIndex((line) => /^::group::Step "deploy": failure in .*, exit code 3$/.test(line))
      expect(group).toBeGreaterThan(-1)
      const end = all.indexOf('::endgroup::', group)
      expect(all[end + 1]).toBe('Step "deploy" ended in failure, exit code 3: Error: quota exceeded')
      expect(logReads(repo).filter((r) => r.path.endsWith('/steps/3/logs'))).toHaveLength(1)
      expect(run.summary).toContain('quota exceeded')
    },
  )
})
