import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { parseDuration } from '../src/shared/duration.js'
import { InputError } from '../src/shared/errors.js'
import { getSettings, readSettings as readSettingsLoadingParser } from '../src/inputs/settings.js'
import { parsePayload } from '../src/inputs/payload.js'
import { runnerJob } from '../src/runner/job.js'

// Inputs arrive as INPUT_<NAME> variables with hyphens kept, exactly as the runner sets them, so the real
// parsing runs; nothing here mocks getInput.

const NOW = new Date('2026-11-28T12:00:00Z')
const CONTEXT = {
  GITHUB_REPOSITORY: 'octo-org/web-app',
  GITHUB_REF: 'refs/tags/v1.2.3',
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_RUN_ID: '4242',
  GITHUB_WORKFLOW: 'Release',
}

function jwt(claims: object): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url')
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}.c2lnbmF0dXJl`
}

const saved = { ...process.env }
let stdout: string[]

beforeEach(() => {
  process.env = Object.fromEntries(
    Object.entries(saved).filter(([key]) => !key.startsWith('INPUT_') && !key.startsWith('GITHUB_')),
  )
  Object.assign(process.env, CONTEXT, {
    INPUT_SERVER: 'https://vela.example.com/',
    INPUT_TOKEN: 'ghp_examplePersonalAccessToken',
  })
  stdout = []
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout.push(String(chunk))
    return true
  })
})

afterEach(() => {
  jest.restoreAllMocks()
  process.env = { ...saved }
})

/** The settings from the inputs in this environment, masking as the runner does. */
function readSettings(env: NodeJS.ProcessEnv = process.env) {
  return getSettings(NOW.getTime(), env, runnerJob, parsePayload)
}

function setInputs(inputs: Record<string, string>) {
  for (const [name, value] of Object.entries(inputs)) process.env[`INPUT_${name.toUpperCase()}`] = value
}

function inputError(inputs: Record<string, string>): InputError {
  setInputs(inputs)
  let error: unknown
  try {
    readSettings()
  } catch (e) {
    error = e
  }
  expect(error).toBeInstanceOf(InputError)
  return error as InputError
}

describe('getSettings defaults', () => {
  it('deploys the current repository at the triggering ref to production', () => {
    const settings = readSettings()
    expect(settings).toMatchObject({
      server: 'https://vela.example.com',
      org: 'octo-org',
      repo: 'web-app',
      ref: 'refs/tags/v1.2.3',
      target: 'production',
      task: 'deploy:vela',
      parameters: {},
      dryRun: false,
      wait: true,
      waitTimeoutMs: 30 * 60_000,
      pollIntervalMs: 10_000,
      requestTimeoutMs: 30_000,
      uiUrl: undefined,
      logs: 'failed',
      deployment: undefined,
    })
    expect(settings.credential.kind).toBe('personal-access-token')
  })

  it('names the workflow and links the run attempt in the default description', () => {
    const settings = readSettings({ ...process.env, GITHUB_RUN_ATTEMPT: '2' })
    expect(settings.description).toContain('"Release"')
    expect(settings.description).toContain(
      'https://github.com/octo-org/web-app/actions/runs/4242/attempts/2)',
    )
  })

  it('takes a description pasted with CRLF line endings, as plain newlines', () => {
    setInputs({ description: 'Release 1.2\r\n\r\nwith fixes' })
    expect(readSettings().description).toBe('Release 1.2\n\nwith fixes')
  })

  it('only creates the deployment, without waiting, when wait is false', () => {
    setInputs({ wait: 'false' })
    expect(readSettings().wait).toBe(false)
  })

  it.each(['failed', 'all', 'none'] as const)('takes logs: %s', (logs) => {
    setInputs({ logs })
    expect(readSettings().logs).toBe(logs)
  })

  it('sends no ref when deploying another repository, so Vela uses its default branch', () => {
    setInputs({ repo: 'api-service' })
    const settings = readSettings()
    expect(settings).toMatchObject({ org: 'octo-org', repo: 'api-service', ref: undefined })
  })

  it('treats the current repository case-insensitively', () => {
    setInputs({ org: 'Octo-Org', repo: 'Web-App' })
    expect(readSettings().ref).toBe('refs/tags/v1.2.3')
  })

  it('keeps a path prefix on the server address', () => {
    setInputs({ server: 'https://ci.example.com/vela/' })
    expect(readSettings().server).toBe('https://ci.example.com/vela')
  })

  it('reads hyphenated inputs from INPUT_ variables with the hyphen kept', () => {
    process.env['INPUT_WAIT-TIMEOUT'] = '1h30m'
    process.env['INPUT_POLL-INTERVAL'] = '5'
    process.env['INPUT_DRY-RUN'] = 'TRUE'
    process.env['INPUT_UI-URL'] = 'https://vela-ui.example.com/'
    const settings = readSettings()
    expect(settings).toMatchObject({
      waitTimeoutMs: 90 * 60_000,
      pollIntervalMs: 5_000,
      dryRun: true,
      uiUrl: 'https://vela-ui.example.com',
    })
  })

  it("reads an existing deployment's number, GitHub's large ids included", () => {
    setInputs({ deployment: ' 2147483648123 ' })
    expect(readSettings().deployment).toBe(2_147_483_648_123)
  })

  const IGNORED =
    "ignored: with 'deployment' set, the action creates nothing and follows that deployment's build"
  // As the runner passes them, action.yml's defaults arrive as if given: they are not named.
  const DEFAULTS = { target: 'production', task: 'deploy:vela', wait: 'true' }
  it.each([
    ['the ref and payload', { ref: 'v2', payload: 'my-key: x' }, `'ref', 'payload' are ${IGNORED}`],
    [
      'a target or wait that differs from its default',
      { target: 'staging', wait: 'false', description: 'Hotfix' },
      `'description', 'target', 'wait' are ${IGNORED}`,
    ],
    ['a single one, in the singular', { task: 'rollback' }, `'task' is ${IGNORED}`],
  ])('warns when following a deployment that it ignores %s', (_what, inputs, warning) => {
    setInputs({ deployment: '7', ...DEFAULTS, ...inputs })
    expect(readSettings().warnings).toEqual([warning])
  })

  it.each([
    ['a ref with a control character', { ref: 'main\u0007' }],
    ['a payload that is not YAML', { payload: 'a: [' }],
    ['a description longer than Vela stores', { description: 'x'.repeat(2501) }],
    ['a target with a control character', { target: 'prod\u0000' }],
  ])('follows a deployment although %s is given, only warning it is ignored', (_what, inputs) => {
    setInputs({ deployment: '7', ...DEFAULTS, ...inputs })
    const settings = readSettings()
    expect(settings.deployment).toBe(7)
    expect(settings.warnings).toEqual([expect.stringContaining(IGNORED)])
    expect(settings.parameters).toEqual({})
  })

  it('warns of nothing when following a deployment with only the defaults given', () => {
    setInputs({ deployment: '7', ...DEFAULTS })
    expect(readSettings().warnings).toEqual([])
  })

  it("keeps the payload's own warnings for a create, and only for a create", () => {
    setInputs({ payload: 'my-key: x' })
    expect(readSettings().warnings).toEqual([
      expect.stringMatching(/^Input 'payload': the pipeline gets "DEPLOYMENT_PARAMETER_MY-KEY"/),
    ])
  })
})

describe('the environment read', () => {
  it('reads the inputs from the environment it is given, with hyphens kept, not from the process', () => {
    const env = {
      ...CONTEXT,
      INPUT_SERVER: 'https://other-vela.example.com',
      INPUT_TOKEN: 'ghp_otherPersonalAccessToken',
      'INPUT_WAIT-TIMEOUT': '5m',
      INPUT_REPO: 'api',
    }
    const settings = readSettings(env)
    expect(settings).toMatchObject({
      server: 'https://other-vela.example.com',
      repo: 'api',
      waitTimeoutMs: 300_000,
    })
    expect(settings.credential).toMatchObject({ token: 'ghp_otherPersonalAccessToken' })
  })
})

describe('readSettings: the YAML parser loaded only for a payload', () => {
  it('parses a payload with the parser it loads', async () => {
    setInputs({ payload: 'region: eu-west-1' })
    const settings = await readSettingsLoadingParser(NOW.getTime(), process.env, runnerJob)
    expect(settings.parameters).toEqual({ region: 'eu-west-1' })
  })

  it('sends no parameters without a payload', async () => {
    setInputs({ payload: '  \n' })
    const settings = await readSettingsLoadingParser(NOW.getTime(), process.env, runnerJob)
    expect(settings.parameters).toEqual({})
    expect(settings.warnings).toEqual([])
  })
})

describe('tokens', () => {
  it('masks the token before printing anything else', () => {
    readSettings()
    expect(stdout[0]).toBe('::add-mask::ghp_examplePersonalAccessToken\n')
  })

  it('masks the token even when another input is invalid', () => {
    inputError({ server: 'ftp://vela.example.com' })
    expect(stdout.join('')).toContain('::add-mask::ghp_examplePersonalAccessToken')
  })

  it('takes a JWT as a Vela access token and reads its user and expiry', () => {
    const token = jwt({ sub: 'octocat', token_type: 'UserAccess', exp: NOW.getTime() / 1000 + 600 })
    setInputs({ token })
    const { credential } = readSettings()
    expect(credential).toEqual({
      kind: 'vela-token',
      token,
      user: 'octocat',
      expiresAt: new Date(NOW.getTime() + 600_000),
    })
  })

  it('refuses an expired Vela token before sending anything', () => {
    const error = inputError({ token: jwt({ sub: 'octocat', exp: NOW.getTime() / 1000 - 1 }) })
    expect(error.message).toMatch(/^Input 'token': the Vela access token expired at 2026-11-28T11:59:59.000Z/)
  })

  it('refuses a Vela refresh token', () => {
    const error = inputError({ token: jwt({ sub: 'octocat', token_type: 'UserRefresh', exp: 9e9 }) })
    expect(error.message).toContain('UserRefresh')
  })

  it('never echoes the token in an error', () => {
    const token = 'ghp_secret value'
    const error = inputError({ token })
    expect(error.message).not.toContain('secret')
  })

  it("refuses the workflow's GITHUB_TOKEN, which Vela cannot accept", () => {
    const error = inputError({ token: 'ghs_16C7e42F292c6912E7710c838347Ae178B4a' })
    expect(error.message).toMatch(/^Input 'token': is a GitHub App installation token \(ghs_…\)/)
    expect(error.message).not.toContain('16C7e42F')
  })

  it('requires a token', () => {
    const error = inputError({ token: '' })
    expect(error.message).toBe("Input 'token': is required and was not supplied")
  })
})

describe('input errors name the input and what is allowed', () => {
  it.each([
    [{ server: '' }, "Input 'server': is required and was not supplied"],
    [{ server: 'vela.example.com' }, "Input 'server': expected an http:// or https:// address"],
    [{ server: 'ftp://vela.example.com' }, "Input 'server': expected an http:// or https:// address"],
    [{ server: 'https://user:pw@vela.example.com' }, "Input 'server': must not carry credentials"],
    [{ server: 'https://vela.example.com/?x=1' }, "Input 'server': must not have a query string"],
    [{ server: 'https://vela.example.com/vela?' }, "Input 'server': must not have a query string"],
    [{ server: 'https://vela.example.com/vela#' }, "Input 'server': must not have a query string"],
    [{ org: '..' }, "Input 'org': expected a GitHub owner name"],
    [{ repo: 'a/b' }, "Input 'repo': expected a GitHub repository name"],
    [{ repo: '.' }, "Input 'repo': expected a GitHub repository name"],
    [{ wait: 'yes' }, 'Input \'wait\': expected true or false, got "yes"'],
    [{ 'dry-run': '1' }, "Input 'dry-run': expected true or false"],
    [{ 'wait-timeout': 'soon' }, "Input 'wait-timeout': expected a duration such as 90s, 15m, 1h or 1h30m"],
    [{ 'wait-timeout': '0' }, "Input 'wait-timeout': must be between 1s and 168h"],
    [{ 'wait-timeout': '-5m' }, "Input 'wait-timeout': expected a duration"],
    [{ 'poll-interval': '0s' }, "Input 'poll-interval': must be between 1s and 1h"],
    [{ 'request-timeout': '1.5s' }, "Input 'request-timeout': expected a duration"],
    [{ 'ui-url': 'vela-ui' }, "Input 'ui-url': expected an http:// or https:// address"],
    [{ logs: 'All' }, 'Input \'logs\': expected one of failed, all, none; got "All"'],
    [{ deployment: 'latest' }, "Input 'deployment': expected the number of an existing deployment"],
    [{ deployment: '0' }, "Input 'deployment': expected the number of an existing deployment"],
    [{ deployment: '-3' }, "Input 'deployment': expected the number of an existing deployment"],
    [{ deployment: '1.5' }, "Input 'deployment': expected the number of an existing deployment"],
    [
      { deployment: '99999999999999999' },
      "Input 'deployment': expected the number of an existing deployment",
    ],
    [
      { deployment: '7', 'dry-run': 'true' },
      "Input 'deployment': follows an existing deployment, which a dry run cannot do",
    ],
    [{ target: 'prod\u0007' }, "Input 'target': must not contain control characters"],
    [{ ref: 'x'.repeat(501) }, "Input 'ref': is 501 characters long; Vela stores at most 500"],
    [
      { 'environment-url': 'web.example.com' },
      "Input 'environment-url': expected an http:// or https:// address",
    ],
    [
      { 'environment-url': 'javascript:alert(1)' },
      "Input 'environment-url': expected an http:// or https://",
    ],
    [{ 'environment-url': 'https://web.example.com/a b' }, "Input 'environment-url': expected an http:// or"],
    [
      { 'environment-url': 'https://u:p@web.example.com' },
      "Input 'environment-url': must not carry credentials",
    ],
    [
      { 'environment-url': 'https://web.example.com', wait: 'false' },
      "Input 'environment-url': is posted on GitHub once the build succeeded, which the action sees only when it waits; set 'wait' to true",
    ],
    [
      { 'environment-url': 'https://web.example.com', 'github-token': '' },
      "Input 'github-token': is required with 'environment-url'; its default is the job's own token, ${{ github.token }}",
    ],
    [
      { 'environment-url': 'https://web.example.com', 'github-token': 'ghs_a b' },
      "Input 'github-token': must be a single line of printable ASCII characters",
    ],
  ])('%j', (inputs, message) => {
    const error = inputError(inputs)
    expect(error.message.startsWith(message)).toBe(true)
    expect(error.message).not.toContain('\n')
  })

  it('needs org and repo outside a workflow', () => {
    delete process.env.GITHUB_REPOSITORY
    const error = inputError({})
    expect(error.message).toMatch(/^Input 'org': is required outside a GitHub workflow/)
  })
})

describe('environment-url', () => {
  it("reads GitHub's API address from the runner and masks the token", () => {
    setInputs({ 'environment-url': 'https://web.example.com/?pr=7', 'github-token': 'ghs_jobToken' })
    process.env.GITHUB_API_URL = 'https://github.example.com/api/v3/'
    const settings = readSettings()
    expect(settings.environmentUrl).toBe('https://web.example.com/?pr=7')
    expect(settings.github).toEqual({ token: 'ghs_jobToken', apiUrl: 'https://github.example.com/api/v3' })
    expect(stdout.join('')).toContain('::add-mask::ghs_jobToken')
  })

  it("takes github.com's API address by default, and works with wait: false when following a deployment", () => {
    setInputs({
      'environment-url': 'http://web.test',
      'github-token': 'ghs_jobToken',
      deployment: '7',
      wait: 'false',
    })
    const settings = readSettings()
    expect(settings.github?.apiUrl).toBe('https://api.github.com')
  })

  it('leaves GitHub alone without it, whatever github-token says', () => {
    setInputs({ 'github-token': 'ghs_jobToken' })
    const settings = readSettings()
    expect(settings.environmentUrl).toBeUndefined()
    expect(settings.github).toBeUndefined()
  })
})

describe('payload as the runner passes it', () => {
  const parameters = (payload: string) => {
    process.env.INPUT_PAYLOAD = payload
    return readSettings().parameters
  }

  it('reads a uniformly indented block, whose first line alone the runner would trim', () => {
    expect(parameters('    region: eu-west-1\n    replicas: 3\n')).toEqual({
      region: 'eu-west-1',
      replicas: '3',
    })
  })

  it('keeps the relative indentation of a nested block, and blank lines inside it', () => {
    const payload = '\n    notes: |\n      first line\n\n        indented\n    region: eu\n  \n'
    expect(parameters(payload)).toEqual({ notes: 'first line\n\n  indented\n', region: 'eu' })
  })

  it('reads a block pasted with CRLF line endings', () => {
    expect(parameters('  a: 1\r\n  b: |\r\n    x\r\n')).toEqual({ a: '1', b: 'x\n' })
  })

  it('takes a payload of blank lines as none', () => {
    expect(parameters(' \n  \n')).toEqual({})
  })

  it('still refuses a block whose lines do not line up', () => {
    const error = inputError({ payload: '  a: 1\n b: 2' })
    expect(error.message).toMatch(/^Input 'payload': /)
  })
})

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['15m', 900_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['1h30m15s', 5_415_000],
    ['2m30s', 150_000],
    ['600', 600_000],
    ['  45S ', 45_000],
  ])('%s → %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms)
  })

  it.each(['', 'abc', '1.5h', '-1m', '30m1h', '1h1h', '10 s', '1d', 'm', '1hm'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined()
  })
})
