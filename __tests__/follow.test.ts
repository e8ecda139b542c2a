import { describe, expect, it } from '@jest/globals'
import { exampleSettings } from './support/example-settings.js'
import { scriptedVela, type VelaScript } from './support/scripted-vela.js'
import { VirtualClock } from './support/virtual-clock.js'
import { AccessLostError, BuildFailedError, WaitTimeoutError } from '../src/shared/errors.js'
import type { Log } from '../src/runner/log.js'
import type { RunRecord } from '../src/run/run-record.js'
import type { Settings } from '../src/inputs/settings.js'
import { CancelledError, NetworkError, TokenExchangeError, VelaHttpError } from '../src/vela/errors.js'
import { failureMessage } from '../src/report/failure-message.js'
import type { Build, Deployment, Step } from '../src/vela/schemas.js'
import { followDeployment } from '../src/follow/follow-deployment.js'

// followDeployment against a scripted Vela and a virtual clock: sleeping advances time at once.

const START = 1_000_000
const MINUTE = 60_000

const settings: Settings = exampleSettings({
  server: 'https://vela.test/api',
  org: 'octo',
  ref: undefined,
  description: 'Release',
  parameters: {},
  wait: true,
  uiUrl: 'https://vela-ui.test',
})

// A nested repo: the create answer of Vela v0.26 or newer.
const deployment: Deployment = { id: 1, number: 42, commit: 'abc123', created_at: START / 1000, repo: {} }

/** The job log as a list of lines; groups show as `> title` … `<`, warnings as `warning: …`. */
class JobLog implements Log {
  readonly lines: string[] = []
  info = (message: string) => void this.lines.push(message)
  warning = (message: string) => void this.lines.push(`warning: ${message}`)
  debug = (message: string) => void this.lines.push(`debug: ${message}`)
  startGroup = (title: string) => void this.lines.push(`> ${title}`)
  endGroup = () => void this.lines.push('<')

  /** The lines of the group with this title, with the stop-commands token replaced by TOKEN. */
  group(title: string): string[] {
    const start = this.lines.indexOf(`> ${title}`)
    if (start < 0) throw new Error(`no group ${title} in\n${this.lines.join('\n')}`)
    const body = this.lines.slice(start + 1, this.lines.indexOf('<', start))
    const tokens = body.map((l) => /^::stop-commands::(.+)$/.exec(l)?.[1]).filter((t) => t !== undefined)
    return body.map((line) => tokens.reduce((text, token) => text.replaceAll(token, 'TOKEN'), line))
  }
}

/** Another deployment's build on the same commit, which the list of builds shows beside ours. */
const OTHER_BUILD: Build = { number: 6, status: 'failure', deploy_number: 41 }

function setup(
  plan: VelaScript = {},
  overrides: {
    settings?: Partial<Settings>
    deployment?: Deployment
    clock?: VirtualClock
    controller?: AbortController
  } = {},
) {
  const clock = overrides.clock ?? new VirtualClock()
  const { api, calls } = scriptedVela(clock, { others: [OTHER_BUILD], ...plan })
  const log = new JobLog()
  const controller = overrides.controller ?? new AbortController()
  const record: RunRecord = { settings: { ...settings, ...overrides.settings } }
  const run = () =>
    followDeployment(api, record, overrides.deployment ?? deployment, controller.signal, { log, clock })
  const failure = () =>
    run().then(
      () => {
        throw new Error('followDeployment succeeded')
      },
      (error: unknown) => error as Error,
    )
  return { clock, calls, log, controller, record, run, failure }
}

describe('a build that succeeds', () => {
  it('says so with the link to the build, and records the build', async () => {
    const t = setup()
    await t.run()
    expect(t.log.lines.filter((line) => line.includes('https://vela.test/octo/app/7'))).toEqual([
      'Build #7: https://vela.test/octo/app/7',
    ])
    expect(t.log.lines.at(-1)).toBe('Build #7 succeeded')
    expect(t.record.build).toMatchObject({ number: 7, status: 'success' })
    expect(t.calls.some((c) => c.what === 'listHooks' || c.what.startsWith('getStepLog'))).toBe(false)
  })

  it("links the build's page from ui-url when the server sends no link", async () => {
    const t = setup({ build: { link: '' } })
    await t.run()
    expect(t.log.lines).toContain('Build #7: https://vela-ui.test/octo/app/7')
  })

  it('gives no link when there is none to give', async () => {
    const t = setup({ build: { link: '' } }, { settings: { uiUrl: undefined } })
    await t.run()
    expect(t.log.lines.at(-1)).toBe('Build #7 succeeded')
    expect(t.log.lines.filter((line) => line.includes('://'))).toEqual([])
  })

  it('on a server before v0.23, finds the build by source among the builds of the commit', async () => {
    // No number, no creation time; builds carry no deploy_number, only `source`, the deployment's URL.
    const url = 'https://api.github.com/repos/octo/app/deployments/42'
    const old: Deployment = { id: 42, url, commit: 'abc123' }
    const t = setup({ build: { deploy_number: undefined, source: url } }, { deployment: old })
    await t.run()
    expect(t.calls.some((c) => c.what === 'getDeployment')).toBe(false)
    // Bounded by the start of the wait, as the server tells no creation time.
    expect(t.calls.find((c) => c.what === 'listBuilds')?.query).toEqual({
      event: 'deployment',
      commit: 'abc123',
      after: START / 1000 - 60,
      per_page: 100,
    })
    expect(t.log.lines).toContain('Waiting up to 30m for the build of deployment 42')
    expect(t.record.build).toMatchObject({ number: 7, source: url, status: 'success' })
  })

  it('on a server before v0.23, lists all builds of the commit when following a deployment of any age', async () => {
    // The deployment input names a deployment another job created, maybe long ago: no lower bound fits.
    const url = 'https://api.github.com/repos/octo/app/deployments/42'
    const old: Deployment = { id: 42, url, commit: 'abc123' }
    const t = setup(
      { build: { deploy_number: undefined, source: url } },
      { deployment: old, settings: { deployment: 42 } },
    )
    await t.run()
    expect(t.calls.find((c) => c.what === 'listBuilds')?.query).toEqual({
      event: 'deployment',
      commit: 'abc123',
      after: undefined,
      per_page: 100,
    })
    expect(t.record.build).toMatchObject({ number: 7, source: url, status: 'success' })
  })

  it('on v0.23 to v0.25, lists builds instead of asking for the deployment by number', async () => {
    const t = setup({}, { deployment: { id: 3, number: 42, commit: 'abc123', created_at: 2_000 } })
    await t.run()
    expect(t.calls.some((c) => c.what === 'getDeployment')).toBe(false)
    expect(t.calls.find((c) => c.what === 'listBuilds')?.query).toMatchObject({ after: 1_940 })
    expect(t.record.build).toMatchObject({ number: 7, deploy_number: 42, status: 'success' })
  })

  it("names the server's release in the debug log and the record", async () => {
    const t = setup()
    await t.run()
    expect(t.record.serverVersion).toBe('v0.28.8')
    expect(t.calls[0]).toMatchObject({ what: 'getVersion', timeoutMs: 5_000 })
    expect(t.log.lines).toContain(
      'debug: Vela names its release v0.28.8 (GET /version); its answers show Vela v0.26 or newer',
    )
  })

  it('goes on waiting when GET /version fails', async () => {
    const t = setup({ version: new NetworkError('timeout', 'GET /version got no complete answer within 5s') })
    await t.run()
    expect(t.record.serverVersion).toBeUndefined()
    expect(t.log.lines).toContain(
      "debug: GET /version failed (GET /version got no complete answer within 5s); Vela's answers show Vela v0.26 or newer",
    )
    expect(t.record.build).toMatchObject({ status: 'success' })
  })
})

describe('a build link that is not http(s)', () => {
  it('never reaches the log', async () => {
    const t = setup(
      { build: { link: 'javascript:alert(document.cookie)' } },
      { settings: { uiUrl: undefined } },
    )
    await t.run()
    expect(t.log.lines).toContain('Build #7: running')
    expect(t.log.lines.join('\n')).not.toContain('javascript:')
  })
})

describe('while waiting', () => {
  it('says every five minutes that no build has been seen yet', async () => {
    const t = setup({ buildAt: 12 * MINUTE })
    await t.run()
    expect(t.log.lines.filter((l) => l.includes('seen yet'))).toEqual([
      'No build of deployment 42 seen yet (5m)',
      'No build of deployment 42 seen yet (10m)',
    ])
  })

  it('says every five minutes that the build is still running, counting from the start of the wait', async () => {
    const t = setup({
      buildAt: MINUTE,
      timeline: [
        [0, 'running'],
        [11 * MINUTE, 'success'],
      ],
    })
    await t.run()
    expect(t.log.lines.filter((l) => l.includes('still'))).toEqual([
      'Build #7: still running after 6m',
      'Build #7: still running after 11m',
    ])
    expect(t.log.lines).toContain('Build #7: running')
  })
})

describe('a build that fails', () => {
  const lines = (from: number, to: number) =>
    Array.from({ length: to - from + 1 }, (_, i) => `line ${from + i}`)
  const failing = (): VelaScript => ({
    timeline: [[0, 'failure']],
    build: { error: 'exit status 2 in step test' },
    // Vela lists steps newest first.
    steps: [
      { number: 6, name: 'cleanup', status: 'killed' },
      { number: 5, name: 'notify', status: 'failure', exit_code: 1 },
      { number: 4, name: 'deploy', status: 'failure', exit_code: 1 },
      { number: 3, name: 'lint', status: 'error', error: 'image not found', exit_code: 0 },
      { number: 2, name: 'test', status: 'failure', exit_code: 2 },
      { number: 1, name: 'init', status: 'success' },
      { number: 7, name: 'post' },
    ],
    logs: {
      2: `${lines(1, 120).join('\n')}\n`,
      3: 'pulling image\n::error::forged annotation\n',
      4: new VelaHttpError({
        method: 'GET',
        path: '/api/v1/repos/octo/app/builds/7/steps/4/logs',
        status: 404,
        serverMessage: 'unable to get logs for step octo/app/7/4: record not found',
      }),
    },
  })

  it("fails naming the status, the build's error and its link", async () => {
    const t = setup(failing())
    const error = await t.failure()
    expect(error).toBeInstanceOf(BuildFailedError)
    expect(error).toMatchObject({ code: 'BUILD_FAILED' })
    expect(error.message).toBe(
      'Build #7 ended with status failure (exit status 2 in step test): https://vela.test/octo/app/7',
    )
    expect(t.record.build).toMatchObject({ status: 'failure' })
  })

  it("prints the last 50 lines of each failed step's log in a collapsed group, fenced from commands", async () => {
    const t = setup(failing())
    await t.failure()
    expect(t.log.group('Step "test" ended in failure, exit code 2: last lines of its log')).toEqual([
      '::stop-commands::TOKEN',
      "… 70 more lines not shown (a failed step's log shows its last 50 lines, 20k characters at most); the full log is in Vela",
      ...lines(71, 120),
      '::TOKEN::',
    ])
  })

  it("shows a step's own error before its log, and defuses commands in the log", async () => {
    const t = setup(failing())
    await t.failure()
    const group = t.log.group('Step "lint" ended in error: last lines of its log')
    expect(group).toEqual([
      '::stop-commands::TOKEN',
      'error: image not found',
      '::TOKEN::',
      '::stop-commands::TOKEN',
      'pulling image',
      expect.stringMatching(/^:\u2060:error::forged annotation$/),
      '::TOKEN::',
    ])
  })

  it('says when a step has no log to show', async () => {
    const t = setup(failing())
    await t.failure()
    expect(t.log.group('Step "deploy" ended in failure, exit code 1: last lines of its log')).toEqual([
      'No log to show: GET /api/v1/repos/octo/app/builds/7/steps/4/logs answered 404: unable to get logs for step octo/app/7/4: record not found',
    ])
  })

  it('records the failed steps it showed, with their last lines, for the job summary', async () => {
    const t = setup(failing())
    await t.failure()
    expect(t.record.failedSteps).toEqual([
      { name: 'test', status: 'failure', exitCode: 2, lastLines: lines(71, 120) },
      {
        name: 'lint',
        status: 'error',
        exitCode: undefined,
        lastLines: ['pulling image', '::error::forged annotation'],
      },
      // Its log could not be read: named, with no lines.
      { name: 'deploy', status: 'failure', exitCode: 1, lastLines: [] },
    ])
  })

  it('shows at most three failed steps, in order, and says how many more there are', async () => {
    const t = setup(failing())
    await t.failure()
    expect(t.log.lines.filter((l) => l.startsWith('> '))).toEqual([
      '> Step "test" ended in failure, exit code 2: last lines of its log',
      '> Step "lint" ended in error: last lines of its log',
      '> Step "deploy" ended in failure, exit code 1: last lines of its log',
    ])
    expect(t.log.lines).toContain('1 more failed steps are not shown')
    expect(t.calls.filter((c) => c.what.startsWith('getStepLog')).map((c) => c.what)).toEqual([
      'getStepLog 2',
      'getStepLog 3',
      'getStepLog 4',
    ])
  })

  it("caps a failed step's log in characters too: one 3 MB line is never printed whole", async () => {
    const t = setup({
      timeline: [[0, 'failure']],
      steps: [
        { number: 2, name: 'huge', status: 'failure' },
        { number: 3, name: 'wide', status: 'failure' },
      ],
      logs: {
        2: `start\n${'x'.repeat(3 * 1024 * 1024)}\n`,
        3: Array.from({ length: 50 }, (_, i) => `${i}`.padEnd(1_500, 'y')).join('\n'),
      },
    })
    await t.failure()
    const printed = (title: string) =>
      t.log.group(title).filter((l) => !/^::(stop-commands::TOKEN|TOKEN::)$/.test(l))
    const huge = printed('Step "huge" ended in failure: last lines of its log')
    expect(huge).toEqual(['start', `${'x'.repeat(2_000)}… (line cut)`])
    const wide = printed('Step "wide" ended in failure: last lines of its log')
    const shown = wide.filter((l) => !l.startsWith('…'))
    expect(shown.join('').length).toBeLessThanOrEqual(20_000)
    expect(shown.length).toBe(13)
    expect(shown.at(-1)).toMatch(/^49y+$/)
    expect(wide[0]).toMatch(/^… 37 more lines not shown /)
    expect(t.log.lines.join('\n').length).toBeLessThan(30_000)
  })

  it('names a step without a name by its number', async () => {
    const t = setup({
      timeline: [[0, 'error']],
      steps: [{ number: 3, status: 'error' }],
      logs: { 3: 'boom' },
    })
    await t.failure()
    expect(t.log.group('Step "step 3" ended in error: last lines of its log')).toEqual([
      '::stop-commands::TOKEN',
      'boom',
      '::TOKEN::',
    ])
    expect(t.log.lines.some((l) => l.includes('more failed steps'))).toBe(false)
  })

  it('warns when the steps cannot be listed, and still fails with the build', async () => {
    const t = setup(
      {
        timeline: [[0, 'killed']],
        build: { link: '' },
        steps: new NetworkError(
          'connection-reset',
          'GET /api/v1/repos/octo/app/builds/7/steps: connection reset',
        ),
      },
      { settings: { uiUrl: undefined } },
    )
    const error = await t.failure()
    expect(error).toBeInstanceOf(BuildFailedError)
    expect(error.message).toBe('Build #7 ended with status killed')
    expect(t.log.lines).toContain(
      'warning: Could not list the steps of build #7: GET /api/v1/repos/octo/app/builds/7/steps: connection reset',
    )
    expect(t.log.lines.some((l) => l.startsWith('> '))).toBe(false)
  })
})

describe('a wait that times out', () => {
  const short = { settings: { waitTimeoutMs: 2 * MINUTE } }

  it('says where the build stood', async () => {
    const t = setup({ buildAt: 0, timeline: [[0, 'running']] }, short)
    const error = await t.failure()
    expect(error).toBeInstanceOf(WaitTimeoutError)
    expect(error).toMatchObject({ code: 'WAIT_TIMEOUT' })
    expect(error.message).toBe('Timed out after 2m: build #7 was running (https://vela.test/octo/app/7).')
    expect(t.clock.time).toBe(START + 2 * MINUTE)
    expect(t.calls.some((c) => c.what === 'listHooks')).toBe(false)
  })

  it('names the last error when reads kept failing', async () => {
    const t = setup(
      {
        buildAt: 0,
        timeline: [[0, 'pending approval']],
        fail: (c) =>
          c.what === 'getBuild'
            ? new VelaHttpError({
                method: 'GET',
                path: '/api/v1/repos/octo/app/builds/7',
                status: 503,
                serverMessage: 'maintenance',
              })
            : undefined,
      },
      short,
    )
    const error = await t.failure()
    expect(error.message).toBe(
      'Timed out after 2m: build #7 was pending approval (https://vela.test/octo/app/7). Last error: GET /api/v1/repos/octo/app/builds/7 answered 503: maintenance.',
    )
    expect(t.log.lines).toContain('The build needs approval by a repository admin in Vela; waiting for it')
  })

  it("names the steps listing's last error when that read failed for a passing reason", async () => {
    // A token renewal that hangs lands in whichever read comes next: here, the listing of the steps.
    const t = setup(
      {
        buildAt: 0,
        timeline: [[0, 'running']],
        fail: (c) =>
          c.what === 'listSteps' && c.at >= START + MINUTE
            ? new NetworkError('timeout', 'POST /api/v1/authenticate/token timed out')
            : undefined,
      },
      short,
    )
    const error = await t.failure()
    expect(error.message).toBe(
      'Timed out after 2m: build #7 was running (https://vela.test/octo/app/7). Last error: POST /api/v1/authenticate/token timed out.',
    )
  })

  it('leaves out a failed steps listing that a later one made good, or that no retry could mend', async () => {
    const recovered = setup(
      {
        buildAt: 0,
        timeline: [[0, 'running']],
        fail: (c) =>
          c.what === 'listSteps' && c.at < START + MINUTE
            ? new NetworkError('timeout', 'GET timed out')
            : undefined,
      },
      short,
    )
    expect((await recovered.failure()).message).toBe(
      'Timed out after 2m: build #7 was running (https://vela.test/octo/app/7).',
    )
    const refused = setup(
      {
        buildAt: 0,
        timeline: [[0, 'running']],
        fail: (c) =>
          c.what === 'listSteps'
            ? new VelaHttpError({ method: 'GET', path: '/steps', status: 404, serverMessage: 'not found' })
            : undefined,
      },
      short,
    )
    expect((await refused.failure()).message).toBe(
      'Timed out after 2m: build #7 was running (https://vela.test/octo/app/7).',
    )
  })

  it('says a build without a status stands at unknown, and warns about it once', async () => {
    const t = setup({ buildAt: 0, timeline: [[0, undefined]], build: { link: undefined } }, short)
    const error = await t.failure()
    expect(error.message).toBe('Timed out after 2m: build #7 was unknown (https://vela-ui.test/octo/app/7).')
    expect(t.log.lines).toContain('Build #7: unknown')
    expect(t.log.lines.filter((l) => l.startsWith('warning:'))).toEqual([
      'warning: Build #7 has status "unknown", which this action does not know; waiting for success, failure, error, canceled or killed',
    ])
  })

  it('says where the build stood without a link when there is none', async () => {
    const t = setup(
      { buildAt: 0, timeline: [[0, 'pending']], build: { link: '' } },
      { settings: { ...short.settings, uiUrl: undefined } },
    )
    const error = await t.failure()
    expect(error.message).toBe('Timed out after 2m: build #7 was pending.')
    expect(t.log.lines).toContain('Build #7: pending')
  })

  describe('without a build', () => {
    const never = { buildAt: Number.POSITIVE_INFINITY }

    it('lists the likely reasons, with what Vela recorded of the webhook', async () => {
      const t = setup(
        {
          ...never,
          hooks: [
            { number: 9, event: 'push', status: 'success', created: START / 1000 + 5 },
            {
              number: 8,
              event: 'deployment',
              status: 'failure',
              error: 'unable to process webhook: octo/app is not an active repo',
              created: START / 1000 + 1,
            },
            { number: 2, event: 'deployment', status: 'success', created: START / 1000 - 3600 },
          ],
        },
        {
          ...short,
          deployment: {
            ...deployment,
            repo: { active: false, allow_events: { deployment: { created: false } } },
          },
        },
      )
      const error = await t.failure()
      expect(error).toBeInstanceOf(WaitTimeoutError)
      expect(error.message).toBe(
        'Timed out after 2m: no build of deployment 42 was seen. Likely reasons: ' +
          [
            'Vela has octo/app marked inactive, so it creates no build for this deployment',
            'octo/app has the deployment event disabled in Vela (allow_events.deployment.created is false), so no build will run; enable it in the repository settings in Vela',
            "Vela's first deployment webhook since the deployment was created (hook 8) has status failure: unable to process webhook: octo/app is not an active repo",
            'the pipeline may skip every step for the deployment event or target "production" (check its rulesets)',
          ].join('; '),
      )
    })

    it('says when Vela recorded no deployment webhook since the deployment was created', async () => {
      const t = setup(
        {
          ...never,
          hooks: [
            { number: 2, event: 'deployment', status: 'success', created: START / 1000 - 61 },
            { number: 3, event: 'push', status: 'success', created: START / 1000 + 1 },
          ],
        },
        short,
      )
      const error = await t.failure()
      expect(error.message).toBe(
        'Timed out after 2m: no build of deployment 42 was seen. Likely reasons: ' +
          'Vela has recorded no deployment webhook since the deployment was created; check that GitHub delivers webhooks to Vela; ' +
          'the pipeline may skip every step for the deployment event or target "production" (check its rulesets)',
      )
    })

    it('says what little a bare webhook record tells', async () => {
      const t = setup(
        { ...never, hooks: [{ event: 'deployment', created: START / 1000 + 1 }] },
        { ...short, deployment: { id: 1, number: 42 } },
      )
      const error = await t.failure()
      expect(error.message).toContain(
        "Vela's first deployment webhook since the deployment was created (hook ?) has status unknown; the pipeline",
      )
    })

    it("pages back through webhook records of every event to the deployment's creation", async () => {
      const pushes = (count: number) =>
        Array.from({ length: count }, (_, i) => ({
          number: 1000 - i,
          event: 'push',
          status: 'success',
          created: START / 1000 + 100,
        }))
      const t = setup(
        {
          ...never,
          hooks: [
            ...pushes(150),
            {
              number: 9,
              event: 'deployment',
              status: 'skipped',
              error: 'no rulesets matched',
              created: START / 1000 + 2,
            },
            { number: 8, event: 'push', status: 'success', created: START / 1000 - 600 },
            ...pushes(100),
          ],
        },
        short,
      )
      const error = await t.failure()
      expect(error.message).toContain(
        "Vela's first deployment webhook since the deployment was created (hook 9) has status skipped: no rulesets matched",
      )
      // Page 2 reaches back before the creation: no third page.
      expect(t.calls.filter((c) => c.what === 'listHooks')).toHaveLength(2)
    })

    it('says so when the newest webhook records do not reach back to the creation', async () => {
      const hooks = Array.from({ length: 1_200 }, (_, i) => ({
        number: 5000 - i,
        event: 'push',
        created: START / 1000 + 100,
      }))
      const t = setup({ ...never, hooks }, short)
      const error = await t.failure()
      expect(error.message).toContain(
        "Vela has recorded no deployment webhook among its newest 1000 webhook records, which do not reach back to the deployment's creation",
      )
      expect(t.calls.filter((c) => c.what === 'listHooks')).toHaveLength(10)
    })

    it('reads webhook records only while wait-timeout lasts, however slow each page', async () => {
      const hooks = Array.from({ length: 1_200 }, (_, i) => ({
        number: 5000 - i,
        event: 'push',
        created: START / 1000 + 100,
      }))
      const t = setup({ ...never, hooks, latencyMs: 4_000 }, short)
      const error = await t.failure()
      const pages = t.calls.filter((c) => c.what === 'listHooks')
      // Each page's request ends by the end of wait-timeout, even one this fake answers late.
      for (const page of pages)
        expect(page.at + (page.timeoutMs ?? 0)).toBeLessThanOrEqual(START + 2 * MINUTE)
      expect(pages.length).toBeGreaterThan(0)
      expect(pages.length).toBeLessThan(10)
      expect(error.message).toContain(
        `Vela has recorded no deployment webhook among its newest ${pages.length * 100} webhook records read within wait-timeout, which do not reach back to the deployment's creation`,
      )
    })

    it('says when the webhook records cannot be read', async () => {
      const t = setup(
        {
          ...never,
          hooks: new VelaHttpError({
            method: 'GET',
            path: '/api/v1/hooks/octo/app',
            status: 401,
            serverMessage: "user octocat does not have 'read' permissions for repo octo/app",
          }),
        },
        short,
      )
      const error = await t.failure()
      expect(error.message).toContain(
        "Likely reasons: (could not read Vela's webhook records: GET /api/v1/hooks/octo/app answered 401: user octocat does not have 'read' permissions for repo octo/app); the pipeline may skip",
      )
    })

    it('names the last error when reads kept failing', async () => {
      const t = setup(
        {
          ...never,
          fail: (c) =>
            c.what === 'getDeployment'
              ? new NetworkError('timeout', 'GET /api/v1/deployments/octo/app/42 timed out')
              : undefined,
        },
        short,
      )
      const error = await t.failure()
      expect(error.message).toMatch(
        /^Timed out after 2m: no build of deployment 42 was seen\. Last error: GET \/api\/v1\/deployments\/octo\/app\/42 timed out\. Likely reasons: Vela has recorded no deployment webhook/,
      )
    })

    it('stops at the deadline even when a slow request ends past it', async () => {
      const t = setup({ ...never, latencyMs: 50_000 }, { settings: { waitTimeoutMs: 45_000 } })
      const error = await t.failure()
      expect(error.message).toMatch(
        /^Timed out after 45s: no build of deployment 42 was seen\. Likely reasons: \(no time was left within wait-timeout to read Vela's webhook records\); /,
      )
      expect(t.calls.map((c) => c.what)).toEqual(['getVersion', 'getDeployment'])
    })
  })
})

describe('a cancelled wait', () => {
  /** The job is cancelled at the first sleep once `after` ms of the wait have passed. */
  function cancellingAfter(after: number) {
    const controller = new AbortController()
    const clock = new VirtualClock()
    const sleep = clock.sleep
    clock.sleep = (ms, signal) => {
      if (clock.time - START >= after) controller.abort()
      return sleep(ms, signal)
    }
    return { clock, controller }
  }

  it('says where the build stood', async () => {
    const t = setup({ buildAt: 0, timeline: [[0, 'running']] }, cancellingAfter(30_000))
    const error = await t.failure()
    expect(error).toBeInstanceOf(CancelledError)
    expect(error.message).toBe('Cancelled while waiting: build #7 was running (https://vela.test/octo/app/7)')
    expect(error.cause).toBeInstanceOf(CancelledError)
    expect(t.record.build).toMatchObject({ status: 'running' })
    expect(t.clock.time).toBe(START + 30_000)
  })

  it('says when no build had been seen yet, not that none existed', async () => {
    const t = setup({ buildAt: Number.POSITIVE_INFINITY }, cancellingAfter(30_000))
    const error = await t.failure()
    expect(error).toBeInstanceOf(CancelledError)
    expect(error.message).toBe('Cancelled while waiting: no build of deployment 42 had been seen yet')
    expect(t.calls.some((c) => c.what === 'listHooks')).toBe(false)
  })
})

describe('a token renewal refused while following', () => {
  it('says the deployment exists and where its build stood, never that nothing was sent', async () => {
    // The personal access token is revoked mid-wait: Vela's token exchange answers 401.
    const revoked = new TokenExchangeError(
      new VelaHttpError({
        method: 'POST',
        path: '/authenticate/token',
        status: 401,
        serverMessage: 'unable to authenticate user: GET https://api.github.com/user: 401 Bad credentials []',
      }),
    )
    const t = setup({
      buildAt: 0,
      fail: (c) => (c.what === 'getBuild' && c.at >= START + MINUTE ? revoked : undefined),
    })
    const error = await t.failure()
    expect(error).toBeInstanceOf(AccessLostError)
    const line = failureMessage(error, t.record.settings)
    expect(line).toBe(
      'Vela refused the personal access token (401: unable to authenticate user: GET https://api.github.com/user: 401 Bad credentials []); it may have been revoked, or its user removed from Vela. This happened while following deployment 42 of octo/app, which exists: build #7 was running (https://vela.test/octo/app/7)',
    )
    expect(line).not.toMatch(/nothing was sent/i)
  })

  it('names the deployment when no build had been seen yet', async () => {
    const failed = new TokenExchangeError(
      new NetworkError('tls', 'TLS connection to vela.test failed: certificate has expired'),
    )
    const t = setup({
      buildAt: Number.POSITIVE_INFINITY,
      fail: (c) => (c.what === 'getDeployment' && c.at >= START + MINUTE ? failed : undefined),
    })
    const error = await t.failure()
    expect(error.message).toBe(
      'Could not get a new Vela access token: TLS connection to vela.test failed: certificate has expired. This happened while following deployment 42 of octo/app, which exists: no build of deployment 42 had been seen yet',
    )
  })
})

describe('an error the wait cannot ride out', () => {
  it('is thrown as it is, without further requests', async () => {
    const refused = new VelaHttpError({
      method: 'GET',
      path: '/api/v1/deployments/octo/app/42',
      status: 401,
      serverMessage: 'failed parsing: token has invalid claims: token is expired',
    })
    const t = setup({ fail: (c) => (c.what === 'getDeployment' ? refused : undefined) })
    expect(await t.failure()).toBe(refused)
    expect(t.calls.map((c) => c.what)).toEqual(['getVersion', 'getDeployment'])
    expect(t.record.build).toBeUndefined()
  })
})

describe('step progress', () => {
  const T0 = START / 1000 + 15
  /**
   * init 0–10 s, test 10–30 s, deploy 30–50 s after the build appears; the build succeeds at 60 s. Reads come
   * 5, 15, 25 … s after it appears, so each state is seen twice or more.
   */
  const stepsAt =
    (final: { deploy?: string } = {}) =>
    (elapsedMs: number): Step[] => {
      const s = elapsedMs / 1000
      const step = (number: number, name: string, from: number, to: number, end = 'success'): Step => ({
        number,
        name,
        stage: '',
        status: s < from ? 'pending' : s < to ? 'running' : end,
        started: s < from ? 0 : T0 + from,
        finished: s < to ? 0 : T0 + to,
        exit_code: s >= to && end !== 'success' ? 3 : 0,
      })
      // Vela lists steps newest first.
      return [step(3, 'deploy', 30, 50, final.deploy), step(2, 'test', 10, 30), step(1, 'init', 0, 10)]
    }
  const progressLines = (lines: string[]) => lines.filter((line) => /^(Step|Stage|Build) /.test(line))

  it('reports each step once when it starts and once when it ends, with its duration, and no state twice', async () => {
    const t = setup({ steps: stepsAt() }, { settings: { logs: 'none' } })
    await t.run()
    expect(progressLines(t.log.lines)).toEqual([
      'Build #7: https://vela.test/octo/app/7',
      'Build #7: running',
      'Step "init" started',
      'Step "init" finished: success in 10s',
      'Step "test" started',
      'Step "test" finished: success in 20s',
      'Step "deploy" started',
      'Step "deploy" finished: success in 20s',
      'Build #7: success',
      'Build #7 succeeded',
    ])
    expect(t.calls.some((c) => c.what.startsWith('getStepLog'))).toBe(false)
  })

  it("says how long the build took, from Vela's times", async () => {
    const t = setup({ build: { started: T0, finished: T0 + 125 } }, { settings: { logs: 'none' } })
    await t.run()
    expect(t.log.lines.at(-1)).toBe('Build #7 succeeded in 2m 05s')
  })

  it('reports a stage when its first step starts and when its last step ends', async () => {
    const staged = (elapsedMs: number): Step[] =>
      stepsAt()(elapsedMs).map((step) => ({ ...step, stage: step.name === 'deploy' ? 'release' : 'build' }))
    const t = setup({ steps: staged }, { settings: { logs: 'none' } })
    await t.run()
    const lines = progressLines(t.log.lines)
    expect(lines.filter((line) => line.startsWith('Stage'))).toEqual([
      'Stage "build" started',
      'Stage "build" finished: success',
      'Stage "release" started',
      'Stage "release" finished: success',
    ])
    expect(lines.indexOf('Stage "build" finished: success')).toBeGreaterThan(
      lines.indexOf('Step "test" finished: success in 20s'),
    )
    expect(lines.indexOf('Stage "build" finished: success')).toBeLessThan(
      lines.indexOf('Stage "release" started'),
    )
    expect(lines.indexOf('Stage "release" started')).toBeLessThan(lines.indexOf('Step "deploy" started'))
  })

  it("with logs: all, shows every finished step's log once, in a group titled with its status and duration", async () => {
    const t = setup(
      { steps: stepsAt(), logs: { 1: 'cloned\n', 2: 'ok 1\n::error::forged\n', 3: 'deployed\n' } },
      { settings: { logs: 'all' } },
    )
    await t.run()
    expect(t.calls.filter((c) => c.what.startsWith('getStepLog')).map((c) => c.what)).toEqual([
      'getStepLog 1',
      'getStepLog 2',
      'getStepLog 3',
    ])
    expect(t.log.group('Step "test": success in 20s')).toEqual([
      '::stop-commands::TOKEN',
      'ok 1',
      expect.stringMatching(/^:\u2060:error::forged$/),
      '::TOKEN::',
    ])
    expect(t.log.group('Step "deploy": success in 20s')).toEqual([
      '::stop-commands::TOKEN',
      'deployed',
      '::TOKEN::',
    ])
    // A step's group comes when it finishes, before the next step is said to start.
    expect(t.log.lines.indexOf('> Step "init": success in 10s')).toBeLessThan(
      t.log.lines.indexOf('Step "test" started'),
    )
  })

  it('with logs: all, shows a failed step once, its last error line outside the group, and records it', async () => {
    const t = setup(
      {
        timeline: [
          [0, 'running'],
          [60_000, 'failure'],
        ],
        steps: stepsAt({ deploy: 'failure' }),
        logs: { 3: 'rolling out\nerror: quota exceeded\n\n' },
      },
      { settings: { logs: 'all' } },
    )
    await t.failure()
    expect(t.calls.filter((c) => c.what === 'getStepLog 3')).toHaveLength(1)
    const title = '> Step "deploy": failure in 20s, exit code 3'
    const end = t.log.lines.indexOf('<', t.log.lines.indexOf(title))
    expect(t.log.lines[end + 1]).toBe('Step "deploy" ended in failure, exit code 3: error: quota exceeded')
    expect(t.record.failedSteps).toEqual([
      {
        name: 'deploy',
        status: 'failure',
        exitCode: 3,
        lastLines: ['rolling out', 'error: quota exceeded', ''],
      },
    ])
  })

  it('with logs: failed, prints the last error line of a failed step outside its group', async () => {
    const t = setup({
      timeline: [[0, 'failure']],
      steps: [{ number: 4, name: 'deploy', status: 'failure', exit_code: 1 }],
      logs: { 4: 'rolling out\nerror: quota exceeded\n' },
    })
    await t.failure()
    const end = t.log.lines.indexOf(
      '<',
      t.log.lines.indexOf('> Step "deploy" ended in failure, exit code 1: last lines of its log'),
    )
    expect(t.log.lines[end + 1]).toBe('Step "deploy" ended in failure, exit code 1: error: quota exceeded')
    expect(t.calls.filter((c) => c.what === 'getStepLog 4')).toHaveLength(1)
  })

  it("caps a step's log in lines and the build's logs in lines, and says what it cut", async () => {
    const many = Array.from({ length: 1_500 }, (_, i) => `line ${i + 1}`).join('\n')
    const twelve = Array.from({ length: 12 }, (_, i): Step => ({
      number: i + 1,
      name: `s${i + 1}`,
      status: 'success',
      started: T0,
      finished: T0 + 1,
    }))
    const t = setup(
      {
        timeline: [[0, 'success']],
        steps: twelve,
        logs: Object.fromEntries(twelve.map((s) => [s.number, many])),
      },
      { settings: { logs: 'all' } },
    )
    await t.run()
    const first = t.log.group('Step "s1": success in 1s')
    expect(first).toHaveLength(1 + 1_000 + 1 + 1)
    expect(first.at(-2)).toBe(
      "… 500 more lines not shown (the step's cap of 1000 lines and 64 KiB); the full log is in Vela",
    )
    // Ten steps use up the build's 10 000 lines; the eleventh shows none and says why.
    expect(t.log.group('Step "s11": success in 1s')).toEqual([
      '::stop-commands::TOKEN',
      "… 1500 more lines not shown (the build's cap of 10000 lines and 1024 KiB of logs); the full log is in Vela",
      '::TOKEN::',
    ])
  })

  it("caps a step's log in bytes: one 3 MB line is never printed", async () => {
    const t = setup(
      {
        timeline: [[0, 'success']],
        steps: [{ number: 1, name: 'big', status: 'success' }],
        logs: { 1: `short\n${'x'.repeat(3_000_000)}\nafter\n` },
      },
      { settings: { logs: 'all' } },
    )
    await t.run()
    expect(t.log.group('Step "big": success')).toEqual([
      '::stop-commands::TOKEN',
      'short',
      "… 2 more lines not shown (the step's cap of 1000 lines and 64 KiB); the full log is in Vela",
      '::TOKEN::',
    ])
  })

  it('reads no log past the wait-timeout', async () => {
    const steps = [1, 2, 3].map((number): Step => ({ number, name: `s${number}`, status: 'success' }))
    const t = setup(
      { buildAt: 0, timeline: [[0, 'success']], steps, latencyMs: 20_000 },
      { settings: { logs: 'all', waitTimeoutMs: 60_000 } },
    )
    await t.run()
    // getDeployment ends at 20 s, listSteps at 40 s, the first log at 60 s: the deadline.
    expect(t.calls.filter((c) => c.what.startsWith('getStepLog')).map((c) => [c.what, c.at])).toEqual([
      ['getStepLog 1', START + 40_000],
    ])
    expect(t.log.group('Step "s2": success')).toEqual(['No log to show: the wait-timeout has passed'])
  })

  it('goes on waiting when the steps cannot be listed, and says so once', async () => {
    const t = setup(
      {
        fail: (call) =>
          call.what === 'listSteps' ? new NetworkError('timeout', 'GET timed out') : undefined,
      },
      { settings: { logs: 'all' } },
    )
    await t.run()
    expect(t.log.lines.filter((line) => line.startsWith('Could not list the steps'))).toHaveLength(1)
    expect(t.log.lines.at(-1)).toBe('Build #7 succeeded')
  })

  it("says when a finished step's log cannot be read", async () => {
    const t = setup(
      {
        timeline: [[0, 'success']],
        steps: [{ number: 1, name: 'init', status: 'success' }],
        logs: { 1: new NetworkError('timeout', 'GET timed out') },
      },
      { settings: { logs: 'all' } },
    )
    await t.run()
    expect(t.log.group('Step "init": success')[0]).toMatch(/^No log to show: /)
  })
})

describe('step statuses', () => {
  const ended = (number: number, name: string, status: string, stage = ''): Step => ({
    number,
    name,
    stage,
    status,
  })

  it('says a stage whose steps were canceled or killed ended so, not in success', async () => {
    const t = setup(
      {
        timeline: [[0, 'canceled']],
        steps: [
          ended(4, 'notify', 'killed', 'after'),
          ended(3, 'deploy', 'canceled', 'release'),
          ended(2, 'build', 'success', 'release'),
          ended(1, 'init', 'success', 'setup'),
        ],
      },
      { settings: { logs: 'none' } },
    )
    await t.failure()
    expect(t.log.lines.filter((line) => / finished: /.test(line) && line.startsWith('Stage'))).toEqual([
      'Stage "setup" finished: success',
      'Stage "release" finished: canceled',
      'Stage "after" finished: killed',
    ])
  })

  it('says a stage with a failed step failed, whatever else its steps did', async () => {
    const t = setup(
      {
        timeline: [[0, 'failure']],
        steps: [ended(2, 'deploy', 'canceled', 'release'), ended(1, 'test', 'failure', 'release')],
      },
      { settings: { logs: 'none' } },
    )
    await t.failure()
    expect(t.log.lines).toContain('Stage "release" finished: failure')
  })

  it('does not take a step status it does not know for an end, and says so once', async () => {
    const t = setup(
      {
        timeline: [
          [0, 'running'],
          [30_000, 'success'],
        ],
        steps: (elapsedMs) => [ended(1, 'deploy', elapsedMs < 20_000 ? 'skidding' : 'success', 'release')],
      },
      { settings: { logs: 'all' } },
    )
    await t.run()
    const said = t.log.lines.filter((line) => line.includes('"deploy"') || line.includes('"release"'))
    expect(said).toEqual([
      'Step "deploy" has status "skidding", which this action does not know; waiting for it to end',
      'Stage "release" started',
      '> Step "deploy": success',
      'Stage "release" finished: success',
    ])
  })

  it('reports two steps that share a number each, with their own ends', async () => {
    const t = setup(
      {
        timeline: [[0, 'failure']],
        steps: [ended(2, 'deploy', 'failure'), ended(2, 'notify', 'success'), ended(1, 'init', 'success')],
      },
      { settings: { logs: 'none' } },
    )
    await t.failure()
    expect(t.log.lines.filter((line) => line.startsWith('Step '))).toEqual([
      'Step "init" finished: success',
      'Step "deploy" finished: failure',
      'Step "notify" finished: success',
    ])
  })
})

describe("a failed step's tail", () => {
  const numbered = (count: number, last: string) =>
    `${Array.from({ length: count - 1 }, (_, i) => `line ${i + 1}`).join('\n')}\n${last}\n`
  const failingLate = (extra: Step[] = [], logs: Record<number, string> = {}): VelaScript => ({
    timeline: [[0, 'failure']],
    steps: [{ number: 20, name: 'deploy', status: 'failure', exit_code: 3 }, ...extra],
    logs: { 20: numbered(1_500, 'error: quota exceeded'), ...logs },
  })

  it('is the same, from the real end of its log, whichever logs are shown', async () => {
    const failed = setup(failingLate(), { settings: { logs: 'failed' } })
    const all = setup(failingLate(), { settings: { logs: 'all' } })
    await failed.failure()
    await all.failure()
    const ended = 'Step "deploy" ended in failure, exit code 3: error: quota exceeded'
    expect(failed.log.lines).toContain(ended)
    expect(all.log.lines).toContain(ended)
    expect(all.record.failedSteps).toEqual(failed.record.failedSteps)
    expect(all.record.failedSteps?.[0]?.lastLines.at(-1)).toBe('error: quota exceeded')
    expect(all.record.failedSteps?.[0]?.lastLines).toHaveLength(50)
    // The group shows the log's beginning within the step's cap, then says what it left out, then the tail.
    const group = all.log.group('Step "deploy": failure, exit code 3')
    expect(group.slice(-4, -1)).toEqual(['line 1498', 'line 1499', 'error: quota exceeded'])
    expect(group).toContain(
      "… 450 more lines not shown (the step's cap of 1000 lines and 64 KiB); the full log is in Vela",
    )
  })

  it('shows even when earlier steps have spent the build-wide cap', async () => {
    const many = numbered(1_500, 'done')
    const earlier = Array.from({ length: 12 }, (_, i): Step => ({
      number: i + 1,
      name: `s${i + 1}`,
      status: 'success',
    }))
    const t = setup(
      {
        timeline: [[0, 'failure']],
        steps: [{ number: 13, name: 'deploy', status: 'failure' }, ...earlier],
        logs: {
          ...Object.fromEntries(earlier.map((s) => [s.number, many])),
          13: 'rolling out\nerror: denied\n',
        },
      },
      { settings: { logs: 'all' } },
    )
    await t.failure()
    expect(t.log.group('Step "deploy": failure')).toEqual([
      '::stop-commands::TOKEN',
      'rolling out',
      'error: denied',
      '::TOKEN::',
    ])
    expect(t.log.lines).toContain('Step "deploy" ended in failure: error: denied')
    expect(t.record.failedSteps?.[0]?.lastLines).toEqual(['rolling out', 'error: denied'])
  })

  it('shows past the build-wide cap for as many failed steps as logs: failed shows, then only says so', async () => {
    const many = numbered(1_500, 'done')
    const earlier = Array.from({ length: 12 }, (_, i): Step => ({
      number: i + 1,
      name: `s${i + 1}`,
      status: 'success',
    }))
    const failing = Array.from({ length: 5 }, (_, i): Step => ({
      number: 20 + i,
      name: `f${i + 1}`,
      status: 'failure',
    }))
    const t = setup(
      {
        timeline: [[0, 'failure']],
        steps: [...failing, ...earlier],
        logs: {
          ...Object.fromEntries(earlier.map((s) => [s.number, many])),
          ...Object.fromEntries(failing.map((s) => [s.number, `rolling out\nerror: ${s.name ?? ''}\n`])),
        },
      },
      { settings: { logs: 'all' } },
    )
    await t.failure()
    for (const name of ['f1', 'f2', 'f3']) {
      expect(t.log.group(`Step "${name}": failure`)).toContain(`error: ${name}`)
    }
    for (const name of ['f4', 'f5']) {
      expect(t.log.group(`Step "${name}": failure`)).toEqual([
        "Log not shown: the build's cap of 10000 lines and 1024 KiB of logs is spent; the full log is in Vela",
      ])
      // Still said outside the group, and kept for the job summary.
      expect(t.log.lines).toContain(`Step "${name}" ended in failure: error: ${name}`)
    }
    expect(t.record.failedSteps?.map((s) => s.lastLines)).toEqual(
      failing.map((s) => ['rolling out', `error: ${s.name ?? ''}`]),
    )
  })

  it('names a step without a name by its number, whichever logs are shown', async () => {
    const plan = (): VelaScript => ({
      timeline: [[0, 'failure']],
      steps: [{ number: 3, name: '', status: 'failure' }],
      logs: { 3: 'boom\n' },
    })
    for (const logs of ['failed', 'all'] as const) {
      const t = setup(plan(), { settings: { logs } })
      await t.failure()
      expect(t.record.failedSteps?.map((s) => s.name)).toEqual(['step 3'])
      expect(t.log.lines).toContain('Step "step 3" ended in failure: boom')
    }
  })

  it('cuts its long lines the same way whichever logs are shown', async () => {
    const plan = (): VelaScript => ({
      timeline: [[0, 'failure']],
      steps: [{ number: 2, name: 'wide', status: 'failure' }],
      logs: { 2: `start\n${'x'.repeat(3_000)}\n` },
    })
    const failed = setup(plan(), { settings: { logs: 'failed' } })
    const all = setup(plan(), { settings: { logs: 'all' } })
    await failed.failure()
    await all.failure()
    expect(failed.record.failedSteps?.[0]?.lastLines).toEqual(['start', `${'x'.repeat(2_000)}… (line cut)`])
    expect(all.record.failedSteps).toEqual(failed.record.failedSteps)
  })
})

describe('a build with more steps than Vela lists in one page', () => {
  // Vela lists steps newest first, so an early step is on a later page.
  const long = (): VelaScript => ({
    timeline: [[0, 'failure']],
    steps: Array.from({ length: 150 }, (_, i): Step => {
      const number = 150 - i
      return number === 5
        ? { number, name: 'migrate', status: 'failure', exit_code: 1 }
        : { number, name: `s${number}`, status: 'success' }
    }),
    logs: { 5: 'error: lock timeout\n' },
  })

  it.each(['failed', 'all', 'none'] as const)('with logs: %s, names its early failed step', async (logs) => {
    const t = setup(long(), { settings: { logs } })
    await t.failure()
    expect(t.record.failedSteps?.map((s) => s.name)).toEqual(['migrate'])
    const pages = t.calls.filter((c) => c.what === 'listSteps').map((c) => c.query?.page)
    expect(pages.slice(0, 2)).toEqual([1, 2])
    if (logs !== 'none')
      expect(t.log.lines).toContain('Step "migrate" ended in failure, exit code 1: error: lock timeout')
  })

  it('reads no page of steps past the wait-timeout', async () => {
    const t = setup(
      { ...long(), buildAt: 0, latencyMs: 20_000 },
      { settings: { logs: 'all', waitTimeoutMs: 40_000 } },
    )
    await t.failure()
    // getDeployment ends at 20 s, the first page of steps at 40 s: the deadline.
    expect(t.calls.filter((c) => c.what === 'listSteps').map((c) => [c.query?.page, c.at])).toEqual([
      [1, START + 20_000],
    ])
    expect(t.log.lines).toContain('Could not list the steps of build #7: the wait-timeout has passed')
  })
})
