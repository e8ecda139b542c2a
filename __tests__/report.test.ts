import { describe, expect, it } from '@jest/globals'
import type { RunRecord } from '../src/run-record.js'
import type { Settings } from '../src/settings.js'
import type { Build, Deployment } from '../src/vela/schemas.js'
import { recordActionsCore } from './support/actions-core.js'

const core = await recordActionsCore()
const { renderSummary, writeOutputs } = await import('../src/report.js')
const { buildPage, deploymentsPage } = await import('../src/links.js')
const { printUntrusted } = await import('../src/log.js')

function settings(overrides: Partial<Settings> = {}): Settings {
  return {
    server: 'https://vela.example.com',
    credential: {
      kind: 'vela-token',
      token: 'header.claims.signature',
      user: 'octocat',
      expiresAt: undefined,
    },
    org: 'octo-org',
    repo: 'web-app',
    ref: 'refs/heads/main',
    target: 'production',
    task: 'deploy:vela',
    description: 'Deployment from GitHub Actions',
    parameters: {},
    payloadWarnings: [],
    dryRun: false,
    wait: false,
    waitTimeoutMs: 30 * 60_000,
    pollIntervalMs: 10_000,
    requestTimeoutMs: 30_000,
    uiUrl: undefined,
    ...overrides,
  }
}

const SHA = '9f1c0e5d4b3a29180716f5e4d3c2b1a098765432'
const DEPLOYMENT: Deployment = {
  id: 12,
  number: 744479,
  commit: SHA,
  ref: 'refs/heads/main',
  target: 'production',
  task: 'deploy:vela',
  url: 'https://api.github.com/repos/octo-org/web-app/deployments/744479',
}
const BUILD: Build = {
  number: 7,
  status: 'success',
  deploy_number: 744479,
  link: 'https://vela.example.com/octo-org/web-app/7',
}

// ---- reading the summary back
// No HTML parser is installed, so this is a small strict one for the markup the summary may contain:
// every `<` must open or close one of these tags, properly nested; anything else fails the test.

const TAG = /^<(\/?)(h2|h3|p|strong|pre|table|tr|th|td|code|a)((?: align="left")|(?: href="[^"<>]*"))?>$/
// Characters Markdown acts on (or that open HTML), which must never reach the summary as themselves.
const ACTIVE = /[<>`*_[\]|\\]/

interface Element {
  tag: string
  href?: string
  children: Array<Element | string>
}

function decode(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(
      /&(lt|gt|quot|amp);/g,
      (_, name: string) => ({ lt: '<', gt: '>', quot: '"', amp: '&' })[name] ?? '',
    )
}

function parse(html: string): Element {
  const root: Element = { tag: '#root', children: [] }
  const open: Element[] = [root]
  let at = 0
  for (const match of html.matchAll(/<[^>]*>/g)) {
    const text = html.slice(at, match.index)
    at = match.index + match[0].length
    const parent = open.at(-1) as Element
    if (text) {
      expect(text).not.toMatch(ACTIVE)
      parent.children.push(decode(text))
    }
    const tag = TAG.exec(match[0])
    if (!tag) throw new Error(`unexpected markup ${match[0]}`)
    const [, closing, name = '', attribute] = tag
    if (closing) {
      if (parent.tag !== name) throw new Error(`</${name}> closes <${parent.tag}>`)
      open.pop()
    } else {
      const element: Element = { tag: name, children: [] }
      if (attribute?.startsWith(' href=')) element.href = decode(attribute.slice(7, -1))
      parent.children.push(element)
      open.push(element)
    }
  }
  const rest = html.slice(at)
  expect(rest).not.toMatch(ACTIVE)
  if (rest) open.at(-1)?.children.push(decode(rest))
  expect(open).toHaveLength(1)
  return root
}

function text(node: Element | string): string {
  return typeof node === 'string' ? node : node.children.map(text).join('')
}

function all(node: Element, tag: string): Element[] {
  return node.children.flatMap((child) =>
    typeof child === 'string' ? [] : [...(child.tag === tag ? [child] : []), ...all(child, tag)],
  )
}

/** The summary read back: heading, failure line, the facts table by label, parameters and pre text. */
function readSummary(record: RunRecord) {
  const root = parse(renderSummary(record))
  const [facts, parameterTable] = all(root, 'table')
  const rows = new Map<string, Element>()
  for (const row of facts ? all(facts, 'tr') : []) {
    const [label, value] = row.children as Element[]
    rows.set(text(label as Element), value as Element)
  }
  return {
    heading: all(root, 'h2').map(text)[0],
    paragraphs: all(root, 'p').map(text),
    strong: all(root, 'strong').map(text),
    pre: all(root, 'pre').map(text)[0],
    hasParametersHeading: all(root, 'h3').some((h) => text(h) === 'Parameters'),
    /** Visible text of each row's value. */
    cell: (label: string) => {
      const value = rows.get(label)
      return value === undefined ? undefined : text(value)
    },
    /** Where a row's value links to, if it is a link. */
    link: (label: string) => {
      const value = rows.get(label)
      return value ? all(value, 'a')[0]?.href : undefined
    },
    labels: [...rows.keys()],
    parameters: parameterTable
      ? all(parameterTable, 'tr')
          .slice(1)
          .map((row) => all(row, 'td').map(text))
      : undefined,
  }
}

describe('the summary reader used here', () => {
  it('rejects markup and Markdown that were not escaped', () => {
    expect(() => parse('<p>fine</p><script>x</script>')).toThrow('unexpected markup <script>')
    expect(() => parse('<p>a <b>b</b></p>')).toThrow('unexpected markup <b>')
    expect(() => parse('<td>[x](y)</td>')).toThrow()
    expect(() => parse('<td>`x`</td>')).toThrow()
    expect(() => parse('<table><tr></table>')).toThrow('</table> closes <tr>')
    expect(text(parse('<td>&lt;b&gt; &#96;x&#96; &#124;</td>'))).toBe('<b> `x` |')
  })
})

describe('renderSummary', () => {
  it('shows a dry run as the request that would have been sent, escaped', () => {
    const request = [
      'POST https://vela.example.com/api/v1/deployments/octo-org/web-app',
      'authorization: Bearer *** (the Vela access token)',
      '',
      '{\n  "ref": "<script>alert(1)</script>",\n  "payload": { "a_b": "`x` | [y](z)" }\n}',
    ].join('\n')
    const summary = readSummary({ settings: settings(), dryRunRequest: request })

    expect(summary.heading).toBe('Vela deployment (dry run)')
    expect(summary.paragraphs).toEqual(['Nothing was sent. This request would create the deployment:'])
    expect(summary.pre).toBe(request)
    expect(summary.labels).toEqual([])
    // A blank line would end the HTML block and drop the JSON out of the <pre> as Markdown.
    expect(renderSummary({ settings: settings(), dryRunRequest: request })).not.toMatch(/\n[ \t]*\n/)
  })

  it('shows a created deployment and its build, linked', () => {
    const summary = readSummary({
      settings: settings({ uiUrl: 'https://vela-ui.example.com' }),
      deployment: DEPLOYMENT,
      build: BUILD,
    })

    expect(summary.heading).toBe('Vela deployment 744479 of octo-org/web-app to production')
    expect(summary.strong).toEqual([])
    expect(summary.labels).toEqual([
      'Deployment',
      'Target',
      'Ref',
      'Commit',
      'Task',
      'GitHub deployment',
      'Build',
      'Build status',
    ])
    expect(summary.cell('Deployment')).toBe('744479')
    expect(summary.link('Deployment')).toBe('https://vela-ui.example.com/octo-org/web-app/deployments')
    expect(summary.cell('Target')).toBe('production')
    expect(summary.cell('Ref')).toBe('refs/heads/main')
    expect(summary.cell('Commit')).toBe(SHA)
    expect(summary.cell('Task')).toBe('deploy:vela')
    expect(summary.link('GitHub deployment')).toBe(DEPLOYMENT.url)
    expect(summary.cell('Build')).toBe('#7')
    expect(summary.link('Build')).toBe(BUILD.link)
    expect(summary.cell('Build status')).toBe('success')
    expect(summary.parameters).toBeUndefined()
    expect(summary.hasParametersHeading).toBe(false)
  })

  it('links the build from ui-url when the server sends an empty link, and not at all when neither is known', () => {
    const withUi = readSummary({
      settings: settings({ uiUrl: 'https://vela-ui.example.com' }),
      deployment: DEPLOYMENT,
      build: { ...BUILD, link: '' },
    })
    expect(withUi.link('Build')).toBe('https://vela-ui.example.com/octo-org/web-app/7')

    const without = readSummary({
      settings: settings(),
      deployment: DEPLOYMENT,
      build: { number: 7, link: '' },
    })
    expect(without.cell('Build')).toBe('#7')
    expect(without.link('Build')).toBeUndefined()
    expect(without.cell('Build status')).toBe('unknown')
    // Without ui-url there is no deployments page to link either.
    expect(without.cell('Deployment')).toBe('744479')
    expect(without.link('Deployment')).toBeUndefined()
  })

  it.each([
    ['WAIT_TIMEOUT', 'Timed out'],
    ['CANCELLED', 'Cancelled'],
    ['BUILD_FAILED', 'Failed'],
    ['DEPLOYMENT_REFUSED', 'Failed'],
    [undefined, 'Failed'],
  ])('labels a failure with code %s as "%s"', (code, label) => {
    const summary = readSummary({
      settings: settings(),
      deployment: DEPLOYMENT,
      failure: { message: 'what went wrong', code },
    })
    expect(summary.strong).toEqual([`${label}:`])
    expect(summary.paragraphs).toEqual([`${label}: what went wrong`])
  })

  it('says "not created" and shows what was asked for when the deployment does not exist', () => {
    const summary = readSummary({
      settings: settings({ ref: undefined, target: 'staging', task: 'deploy:migrate' }),
      failure: { message: 'Vela refused the deployment (400: no)', code: 'DEPLOYMENT_REFUSED' },
    })

    expect(summary.heading).toBe('Vela deployment of octo-org/web-app to staging')
    expect(summary.paragraphs).toEqual(['Failed: Vela refused the deployment (400: no)'])
    expect(summary.labels).toEqual(['Deployment', 'Target', 'Ref', 'Commit', 'Task'])
    expect(summary.cell('Deployment')).toBe('not created')
    expect(summary.link('Deployment')).toBeUndefined()
    expect(summary.cell('Target')).toBe('staging')
    expect(summary.cell('Ref')).toBe('(default branch)')
    expect(summary.cell('Commit')).toBe('')
    expect(summary.cell('Task')).toBe('deploy:migrate')
  })

  it('lists the parameters in the order given', () => {
    const summary = readSummary({
      settings: settings({ parameters: { region: 'us-east-1', replicas: '3', note: '' } }),
      deployment: DEPLOYMENT,
    })
    expect(summary.hasParametersHeading).toBe(true)
    expect(summary.parameters).toEqual([
      ['region', 'us-east-1'],
      ['replicas', '3'],
      ['note', ''],
    ])
  })

  it('keeps every value from the inputs and the server inert', () => {
    const hostile = {
      ref: '<script>alert(1)</script>',
      target: 'prod|uction *now*',
      task: '`rm -rf /`',
      commit: '[x](https://evil.test)',
    }
    const deployment: Deployment = { ...DEPLOYMENT, ...hostile, number: 744479 }
    const parameters = {
      '[x](y)': '<img src=x onerror=alert(1)>',
      __bold__: '**b** | c \\ d',
      "it's": '"quoted" & `ticked`',
    }
    const message = 'Vela said <b>no</b> | see [here](https://evil.test) `now` _really_ \\o/'
    const summary = readSummary({
      settings: settings({ parameters }),
      deployment,
      build: { ...BUILD, status: '<i>failure</i>', link: 'https://vela.example.com/o/r/7?"><script>' },
      failure: { message, code: 'BUILD_FAILED' },
    })

    // parse() has already checked that no markup or Markdown character came through unescaped;
    // what is left is each value shown exactly as it was.
    expect(summary.heading).toBe('Vela deployment 744479 of octo-org/web-app to prod|uction *now*')
    expect(summary.paragraphs).toEqual([`Failed: ${message}`])
    expect(summary.cell('Ref')).toBe(hostile.ref)
    expect(summary.cell('Target')).toBe(hostile.target)
    expect(summary.cell('Task')).toBe(hostile.task)
    expect(summary.cell('Commit')).toBe(hostile.commit)
    expect(summary.cell('Build status')).toBe('<i>failure</i>')
    expect(summary.link('Build')).toBe('https://vela.example.com/o/r/7?"><script>')
    expect(summary.parameters).toEqual(Object.entries(parameters))
  })

  it('escapes what settings alone supply when there is no deployment', () => {
    const summary = readSummary({
      settings: settings({ ref: 'feature/`x`|y', target: '<t>', task: '*task*' }),
      failure: { message: 'x', code: undefined },
    })
    expect(summary.heading).toBe('Vela deployment of octo-org/web-app to <t>')
    expect(summary.cell('Ref')).toBe('feature/`x`|y')
    expect(summary.cell('Target')).toBe('<t>')
    expect(summary.cell('Task')).toBe('*task*')
  })

  it.each(['javascript:alert(1)', 'data:text/html,<b>hi</b>', '//evil.test/x', 'ftp://example.com/d'])(
    'shows a deployment url %s as text, not as a link',
    (url) => {
      const summary = readSummary({ settings: settings(), deployment: { ...DEPLOYMENT, url } })
      expect(summary.cell('GitHub deployment')).toBe(url)
      expect(summary.link('GitHub deployment')).toBeUndefined()
    },
  )

  it('shows a build link that is not http(s) as text', () => {
    const summary = readSummary({
      settings: settings(),
      deployment: DEPLOYMENT,
      build: { ...BUILD, link: 'javascript:alert(1)' },
    })
    expect(summary.cell('Build')).toBe('#7')
    expect(summary.link('Build')).toBeUndefined()
  })

  it('leaves out the GitHub deployment row when the server sends no url', () => {
    const summary = readSummary({ settings: settings(), deployment: { ...DEPLOYMENT, url: '' } })
    expect(summary.labels).not.toContain('GitHub deployment')
  })
})

describe('writeOutputs', () => {
  it('sets nothing before a deployment exists', () => {
    writeOutputs({ settings: settings(), dryRunRequest: 'POST …' })
    writeOutputs({ settings: settings(), failure: { message: 'no', code: undefined } })
    expect(core.setOutput).not.toHaveBeenCalled()
  })

  it("sets the deployment's outputs, with the body Vela answered as `deployment`", () => {
    const body = '{"id":12,"number":744479,"unknown_field":true}'
    writeOutputs({ settings: settings(), deployment: DEPLOYMENT, deploymentJson: body })
    expect(core.outputs()).toEqual({
      id: '12',
      number: '744479',
      commit: SHA,
      ref: 'refs/heads/main',
      target: 'production',
      task: 'deploy:vela',
      url: DEPLOYMENT.url,
      deployment: body,
    })
  })

  it('uses the id as the number for servers that send none, and empty strings for what is missing', () => {
    const legacy: Deployment = { id: 744480 }
    writeOutputs({ settings: settings(), deployment: legacy })
    expect(core.outputs()).toEqual({
      id: '744480',
      number: '744480',
      commit: '',
      ref: '',
      target: '',
      task: '',
      url: '',
      deployment: JSON.stringify(legacy),
    })
  })

  it('sets an empty id when the server sends only the number', () => {
    writeOutputs({ settings: settings(), deployment: { number: 744481 } })
    expect(core.outputs()).toMatchObject({ id: '', number: '744481' })
  })

  it('sets the build outputs once a build was seen, its link from ui-url when the server sends none', () => {
    writeOutputs({
      settings: settings({ uiUrl: 'https://vela-ui.example.com' }),
      deployment: DEPLOYMENT,
      build: { number: 9, status: 'failure', link: '' },
    })
    expect(core.outputs()).toMatchObject({
      'build-number': '9',
      'build-status': 'failure',
      'build-url': 'https://vela-ui.example.com/octo-org/web-app/9',
    })
  })

  it('sets empty build status and url when neither is known', () => {
    writeOutputs({ settings: settings(), deployment: DEPLOYMENT, build: { number: 9 } })
    expect(core.outputs()).toMatchObject({ 'build-number': '9', 'build-status': '', 'build-url': '' })
  })
})

describe('links', () => {
  const ui = settings({ uiUrl: 'https://ci.example.com/vela' })

  it("prefers the build's own link", () => {
    expect(buildPage(BUILD, ui)).toBe(BUILD.link)
  })

  it('forms the build page from ui-url, path prefix kept, when the link is empty or missing', () => {
    expect(buildPage({ number: 7, link: '' }, ui)).toBe('https://ci.example.com/vela/octo-org/web-app/7')
    expect(buildPage({ number: 7 }, ui)).toBe('https://ci.example.com/vela/octo-org/web-app/7')
    // A link that is not http(s) never reaches the build-url output, the log or the summary.
    expect(buildPage({ number: 7, link: 'javascript:alert(1)' }, ui)).toBe(
      'https://ci.example.com/vela/octo-org/web-app/7',
    )
    expect(buildPage({ number: 7, link: 'javascript:alert(1)' }, settings())).toBeUndefined()
  })

  it('has no build page without a link or ui-url', () => {
    expect(buildPage({ number: 7, link: '' }, settings())).toBeUndefined()
  })

  it('forms the deployments page from ui-url only', () => {
    expect(deploymentsPage(ui)).toBe('https://ci.example.com/vela/octo-org/web-app/deployments')
    expect(deploymentsPage(settings())).toBeUndefined()
  })
})

describe('printUntrusted', () => {
  const fenced = (lines: string[]) => {
    const [start, ...rest] = lines
    const end = rest.pop()
    const token = /^::stop-commands::(.+)$/.exec(start ?? '')?.[1]
    expect(token).toBeDefined()
    expect(end).toBe(`::${token}::`)
    return { token: token as string, body: rest }
  }

  it('prints to the job log between stop-commands markers, with each line defused', () => {
    printUntrusted(['step ok', '::error::forged annotation', 'an ##[error] legacy one', 'cr\r'])

    const { body } = fenced(core.info.mock.calls.map(([line]) => line))
    expect(body).toHaveLength(4)
    expect(body[0]).toBe('step ok')
    expect(body[1]).not.toMatch(/^::/)
    expect(body[1]?.replace(/\u2060/g, '')).toBe('::error::forged annotation')
    expect(body[2]).not.toContain('##[')
    expect(body[3]).toBe('cr')
  })

  it('uses a fresh token each time, so printed text cannot guess the end marker', () => {
    const first: string[] = []
    const second: string[] = []
    printUntrusted(['a'], { info: (line) => first.push(line) })
    printUntrusted(['a'], { info: (line) => second.push(line) })

    expect(fenced(first).token).not.toBe(fenced(second).token)
    expect(core.info).not.toHaveBeenCalled()
  })
})
