import { describe, expect, it } from '@jest/globals'
import { renderAsGitHub } from '../fake-runner/github-markdown.js'
import type { WorkflowContext } from '../src/inputs/workflow-context.js'
import type { RunRecord } from '../src/run/run-record.js'
import type { Settings } from '../src/inputs/settings.js'
import type { Build, Deployment } from '../src/vela/schemas.js'
import { recordActionsCore } from './support/actions-core.js'
import { exampleSettings } from './support/example-settings.js'

const core = await recordActionsCore()
const { renderSummary, writeOutputs } = await import('../src/report/report.js')
const { buildPage, deploymentsPage } = await import('../src/run/links.js')
const { jobLog, printUntrusted } = await import('../src/runner/log.js')
const { runnerJob } = await import('../src/runner/job.js')

function settings(overrides: Partial<Settings> = {}): Settings {
  return exampleSettings({ repo: 'web-app', parameters: {}, ...overrides })
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
  repo: { active: true },
}
const BUILD: Build = {
  number: 7,
  status: 'success',
  deploy_number: 744479,
  link: 'https://vela.example.com/octo-org/web-app/7',
}

const GITHUB = 'https://github.example.com'
const CONTEXT: WorkflowContext = {
  repository: { owner: 'octo-org', repo: 'web-app' },
  ref: 'refs/tags/v1.2.3',
  workflow: 'Release',
  runUrl: `${GITHUB}/octo-org/web-app/actions/runs/1`,
  serverUrl: GITHUB,
  apiUrl: `${GITHUB}/api/v3`,
}

// ---- reading the summary back as GitHub shows it
// The summary is rendered with a CommonMark/GFM parser, as GitHub renders it, and the HTML that comes out
// is read by a small strict parser: every tag must be one the summary means to use, properly nested, so a
// value that breaks out of its HTML block (and becomes a paragraph, a link or emphasis) fails the test.

const TAG =
  /^<(\/?)(h2|p|strong|pre|table|tr|th|td|code|a|details|summary)((?: align="left")|(?: href="[^"<>]*"))?>$/
// Characters Markdown acts on (or that open HTML), which must never reach the page as themselves.
const ACTIVE = /[<>`*_[\]|\\]/
/** Elements whose content is inline text: a paragraph inside one means a value broke out of its block. */
const INLINE_ONLY = new Set(['h2', 'p', 'pre', 'td', 'th', 'summary', 'a', 'code', 'strong'])

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
      if (name === 'p' && INLINE_ONLY.has(parent.tag)) throw new Error(`<p> inside <${parent.tag}>`)
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

/** The summary as GitHub renders it, read back: heading, paragraphs, links, the facts table by label. */
function readSummary(record: RunRecord) {
  const root = parse(renderAsGitHub(renderSummary(record, CONTEXT)))
  const details = all(root, 'details')[0]
  const facts = all(root, 'table').find((table) => !details || !all(details, 'table').includes(table))
  const rows = new Map<string, Element>()
  for (const row of facts ? all(facts, 'tr') : []) {
    const [label, value] = row.children as Element[]
    rows.set(text(label as Element), value as Element)
  }
  const top = root.children.filter((child): child is Element => typeof child !== 'string')
  return {
    headings: all(root, 'h2').map(text),
    /** The top-level paragraphs, in order. */
    paragraphs: top.filter((element) => element.tag === 'p').map(text),
    pre: all(root, 'pre').map(text),
    /** Every link on the page, as [text, address]. */
    links: all(root, 'a').map((a) => [text(a), a.href]),
    /** The top-level blocks in order, by tag. */
    blocks: top.map((element) => element.tag),
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
    parametersTitle: details ? all(details, 'summary').map(text)[0] : undefined,
    parameters: details
      ? all(details, 'tr')
          .slice(1)
          .map((row) => all(row, 'td').map(text))
      : undefined,
  }
}

describe('the summary reader used here', () => {
  it('rejects markup, Markdown that was not escaped, and paragraphs where a value broke out', () => {
    expect(() => parse('<p>fine</p><script>x</script>')).toThrow('unexpected markup <script>')
    expect(() => parse('<p>a <b>b</b></p>')).toThrow('unexpected markup <b>')
    expect(() => parse('<td>[x](y)</td>')).toThrow()
    expect(() => parse('<td>`x`</td>')).toThrow()
    expect(() => parse('<table><tr></table>')).toThrow('</table> closes <tr>')
    expect(() => parse('<pre>a\n<p>b</p></pre>')).toThrow('<p> inside <pre>')
    expect(() => parse('<table><tr><td><p>b</p></td></tr></table>')).toThrow('<p> inside <td>')
    expect(text(parse('<td>&lt;b&gt; &#96;x&#96; &#124;</td>'))).toBe('<b> `x` |')
  })

  it('sees what GitHub does to HTML whose block a blank line ends', () => {
    expect(() => parse(renderAsGitHub('<p>x</p>\n<pre>a\n\nb</pre>'))).toThrow('<p> inside <pre>')
    expect(() => parse(renderAsGitHub('<h2>a</h2>\n\n*b*'))).toThrow('unexpected markup <em>')
  })
})

const STARTED = 1_767_000_000

describe('renderSummary', () => {
  it('shows a dry run as the request that would have been sent, blank lines and all, escaped', () => {
    const request = [
      'POST https://vela.example.com/api/v1/deployments/octo-org/web-app',
      'authorization: Bearer *** (the Vela access token)',
      '',
      '{\n  "ref": "<script>alert(1)</script>",\n\n  "payload": { "a_b": "`x` | [y](z)" }\n}',
    ].join('\n')
    const summary = readSummary({ settings: settings(), dryRunRequest: request })

    expect(summary.headings).toEqual(['🧪 Dry run: deploy of octo-org/web-app main to production'])
    expect(summary.paragraphs).toEqual(['Nothing was sent. This request would create the deployment:'])
    expect(summary.pre).toEqual([request])
    expect(summary.links).toEqual([])
    expect(summary.labels).toEqual([])
    // A blank line would end the HTML block and drop the JSON out of the <pre> as Markdown.
    const pre = /<pre>[\s\S]*?<\/pre>/.exec(
      renderSummary({ settings: settings(), dryRunRequest: request }),
    )?.[0]
    expect(pre).toBeDefined()
    expect(pre).not.toMatch(/\n[ \t]*\n/)
  })

  it('leads with the result, then the build, its duration, who deployed and the environment, linked', () => {
    const summary = readSummary({
      settings: settings({ ref: 'refs/tags/v1.2.3', parameters: { region: 'us-west-1', replicas: '3' } }),
      deployment: { ...DEPLOYMENT, ref: 'refs/tags/v1.2.3', created_by: 'octocat' },
      build: { ...BUILD, started: STARTED, finished: STARTED + 192 },
    })

    expect(summary.headings).toEqual(['✅ Deployed octo-org/web-app v1.2.3 to production'])
    expect(summary.blocks).toEqual(['h2', 'p', 'table', 'details'])
    expect(summary.paragraphs).toEqual([
      'Vela build #7 succeeded in 3m 12s · deployed by octocat · production environment',
    ])
    expect(summary.labels).toEqual(['Commit', 'Ref', 'Vela deployment', 'Vela server'])
    expect(summary.cell('Commit')).toBe('9f1c0e5')
    expect(summary.cell('Ref')).toBe('v1.2.3')
    expect(summary.cell('Vela deployment')).toBe('744479')
    expect(summary.cell('Vela server')).toBe('Vela v0.26 or newer')
    expect(summary.links).toEqual([
      ['#7', BUILD.link],
      ['production environment', `${GITHUB}/octo-org/web-app/deployments/production`],
      ['9f1c0e5', `${GITHUB}/octo-org/web-app/commit/${SHA}`],
      ['v1.2.3', `${GITHUB}/octo-org/web-app/tree/v1.2.3`],
      // The UI's address, read from the build's link.
      ['744479', 'https://vela.example.com/octo-org/web-app/deployments'],
    ])
    expect(summary.parametersTitle).toBe('Parameters (2)')
    expect(summary.parameters).toEqual([
      ['region', 'us-west-1'],
      ['replicas', '3'],
    ])
  })

  it('links the environment once GitHub shows it on the deployment', () => {
    const summary = readSummary({
      settings: settings(),
      deployment: DEPLOYMENT,
      build: BUILD,
      environmentUrl: 'https://web.example.com/?pr=7&x=<1>',
    })
    expect(summary.paragraphs).toEqual(['Vela build #7 succeeded · production environment · View deployment'])
    expect(summary.links).toContainEqual(['View deployment', 'https://web.example.com/?pr=7&x=<1>'])
  })

  it('links no API address, even the GitHub deployment Vela sends', () => {
    const summary = readSummary({ settings: settings(), deployment: DEPLOYMENT, build: BUILD })
    for (const [, href] of summary.links) {
      expect(href).not.toContain('api.github.com')
      expect(href).not.toContain('/api/v1/')
    }
  })

  it.each([
    [{ id: 744479, url: 'https://api.github.com/x' }, undefined, 'Vela v0.22 or older'],
    [{ id: 3, number: 744479, repo_id: 1 }, undefined, 'Vela v0.23 to v0.25'],
    [{ id: 3, number: 744479, repo: {} }, 'v0.28.8<b>', 'v0.28.8<b>'],
  ])(
    'names the Vela server: its release when read, else the era its answer shows',
    (deployment, version, named) => {
      const summary = readSummary({ settings: settings(), deployment, serverVersion: version })
      expect(summary.cell('Vela server')).toBe(named)
    },
  )

  it('takes the Vela UI from ui-url first, and links nothing of Vela when neither is known', () => {
    const withUi = readSummary({
      settings: settings({ uiUrl: 'https://vela-ui.example.com' }),
      deployment: DEPLOYMENT,
      build: { ...BUILD, link: '' },
    })
    expect(withUi.links.slice(0, 1)).toEqual([['#7', 'https://vela-ui.example.com/octo-org/web-app/7']])
    expect(withUi.link('Vela deployment')).toBe('https://vela-ui.example.com/octo-org/web-app/deployments')

    const without = readSummary({
      settings: settings(),
      deployment: DEPLOYMENT,
      build: { number: 7, link: '' },
    })
    expect(without.paragraphs[0]).toBe('Vela build #7 has status unknown · production environment')
    expect(without.links.map(([label]) => label)).toEqual(['production environment', '9f1c0e5', 'main'])
    expect(without.cell('Vela deployment')).toBe('744479')
  })

  it('does not guess the UI from a build link of another form', () => {
    const summary = readSummary({
      settings: settings(),
      deployment: DEPLOYMENT,
      build: { ...BUILD, link: 'https://vela.example.com/builds/7' },
    })
    expect(summary.link('Vela deployment')).toBeUndefined()
  })

  it.each([
    ['timed-out', '⏱ Timed out deploying octo-org/web-app main to production'],
    ['cancelled', '⏹ Cancelled deploy of octo-org/web-app main to production'],
    ['build-failed', '❌ Deploy of octo-org/web-app main to production failed'],
    ['other', '❌ Deploy of octo-org/web-app main to production failed'],
  ] as const)('says in the heading how a failure of kind %s ended', (kind, heading) => {
    const summary = readSummary({
      settings: settings(),
      deployment: DEPLOYMENT,
      failure: { message: 'what went wrong', kind },
    })
    expect(summary.headings).toEqual([heading])
    expect(summary.paragraphs).toEqual(['production environment', 'what went wrong'])
  })

  it('names a followed deployment by its number while Vela has not told its ref and target', () => {
    const summary = readSummary({
      settings: settings({ deployment: 4242 }),
      failure: { message: 'Cancelled while reading deployment 4242', kind: 'cancelled' },
    })
    expect(summary.headings).toEqual(['⏹ Cancelled deploy of octo-org/web-app deployment 4242'])
  })

  it('shows a failed build with its duration, the step that failed and that step’s last lines', () => {
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`)
    lines.push('', 'Error: deployment "web-app" exceeded its progress deadline <see> `kubectl`')
    const summary = readSummary({
      settings: settings(),
      deployment: { ...DEPLOYMENT, created_by: 'octocat' },
      build: { ...BUILD, status: 'failure', started: STARTED, finished: STARTED + 243 },
      failedSteps: [{ name: 'deploy', status: 'failure', exitCode: 1, lastLines: lines }],
      failure: { message: 'Build #7 ended with status failure', kind: 'build-failed' },
    })

    expect(summary.headings).toEqual(['❌ Deploy of octo-org/web-app main to production failed'])
    expect(summary.blocks).toEqual(['h2', 'p', 'p', 'pre', 'table'])
    // The failure message would only repeat the line under the heading.
    expect(summary.paragraphs).toEqual([
      'Vela build #7 failed after 4m 03s at step deploy (exit code 1) · deployed by octocat · production environment',
      'Last lines of step deploy:',
    ])
    expect(summary.pre).toEqual([lines.slice(-20).join('\n')])
  })

  it("leaves out a failed step whose log could not be read, and shows the build's error", () => {
    const summary = readSummary({
      settings: settings(),
      deployment: DEPLOYMENT,
      build: { ...BUILD, status: 'error', error: 'no space left on device' },
      failedSteps: [{ name: 'clone', status: 'error', exitCode: undefined, lastLines: [] }],
      failure: { message: 'Build #7 ended with status error', kind: 'build-failed' },
    })
    expect(summary.paragraphs).toEqual([
      'Vela build #7 ended in an error (no space left on device) at step clone · production environment',
    ])
    expect(summary.pre).toEqual([])
  })

  it('shows a failed create with what was asked for, and no empty rows', () => {
    const summary = readSummary({
      settings: settings({ target: 'staging', task: 'deploy:migrate' }),
      failure: { message: 'Vela refused the deployment (400: no)', kind: 'other' },
    })
    expect(summary.headings).toEqual(['❌ Deploy of octo-org/web-app main to staging failed'])
    expect(summary.paragraphs).toEqual(['Vela refused the deployment (400: no)'])
    expect(summary.labels).toEqual(['Ref', 'Task'])
    expect(summary.cell('Task')).toBe('deploy:migrate')

    const noRef = readSummary({
      settings: settings({ ref: undefined }),
      failure: { message: 'no', kind: 'other' },
    })
    expect(noRef.headings).toEqual(['❌ Deploy of octo-org/web-app to production failed'])
    expect(noRef.blocks).toEqual(['h2', 'p'])
  })

  it('says the build was not awaited when wait is false', () => {
    const summary = readSummary({
      settings: settings({ wait: false }),
      deployment: { ...DEPLOYMENT, created_by: 'octocat' },
    })
    expect(summary.headings).toEqual(['✅ Started deploy of octo-org/web-app main to production'])
    expect(summary.paragraphs).toEqual([
      'The build was not awaited (wait: false) · deployed by octocat · production environment',
    ])
  })

  it.each([
    ['refs/heads/feature/x', 'feature/x', `${GITHUB}/octo-org/web-app/tree/feature/x`],
    ['release 1', 'release 1', `${GITHUB}/octo-org/web-app/tree/release%201`],
    [SHA, SHA, `${GITHUB}/octo-org/web-app/commit/${SHA}`],
    ['refs/pull/1/head', 'refs/pull/1/head', undefined],
  ])('shows ref %s as %s, linked to %s', (ref, shown, page) => {
    const summary = readSummary({ settings: settings(), deployment: { ...DEPLOYMENT, ref } })
    expect(summary.cell('Ref')).toBe(shown)
    expect(summary.link('Ref')).toBe(page)
  })

  it('keeps every value from the inputs and the server inert', () => {
    const hostile = {
      ref: '<script>alert(1)</script>',
      target: 'prod|uction *now*',
      task: '`rm -rf /`',
      commit: '[x](https://evil.test)',
      created_by: '**me**',
    }
    const deployment: Deployment = { ...DEPLOYMENT, ...hostile, number: 744479 }
    const parameters = {
      '[x](y)': '<img src=x onerror=alert(1)>',
      __bold__: '**b** | c \\ d',
      "it's": '"quoted" & `ticked`',
    }
    const message = 'Vela said <b>no</b> | see [here](https://evil.test) `now` _really_ \\o/ www.evil.test'
    const summary = readSummary({
      settings: settings({ parameters }),
      deployment,
      build: { ...BUILD, status: '<i>failure</i>', link: 'https://vela.example.com/o/r/7?"><script>' },
      failedSteps: [
        { name: '_step_', status: 'failure', exitCode: 2, lastLines: ['</pre><b>x</b>', '::error::x'] },
      ],
      failure: { message, kind: 'other' },
    })

    // parse() has already checked that no markup or Markdown came through; what is left is each value
    // shown exactly as it was.
    expect(summary.headings).toEqual([
      '❌ Deploy of octo-org/web-app <script>alert(1)</script> to prod|uction *now* failed',
    ])
    expect(summary.paragraphs).toEqual([
      'Vela build #7 has status <i>failure</i> at step _step_ (exit code 2) · deployed by **me** · prod|uction *now* environment',
      message,
      'Last lines of step _step_:',
    ])
    expect(summary.pre).toEqual(['</pre><b>x</b>\n::error::x'])
    expect(summary.cell('Ref')).toBe(hostile.ref)
    expect(summary.cell('Task')).toBe(hostile.task)
    expect(summary.cell('Commit')).toBe(hostile.commit.slice(0, 7))
    expect(summary.links[0]).toEqual(['#7', 'https://vela.example.com/o/r/7?"><script>'])
    expect(summary.parameters).toEqual(Object.entries(parameters))
  })

  it('shows a build link that is not http(s) as text', () => {
    const summary = readSummary({
      settings: settings(),
      deployment: DEPLOYMENT,
      build: { ...BUILD, link: 'javascript:alert(1)' },
    })
    expect(summary.paragraphs[0]).toBe('Vela build #7 succeeded · production environment')
    expect(summary.links.map(([label]) => label)).not.toContain('#7')
  })
})

describe('writeOutputs', () => {
  it('fails the step in one line when the runner cannot take them', () => {
    core.setOutput.mockImplementationOnce(() => {
      throw new Error("EISDIR: illegal operation on a directory, open '/runner/_temp/set_output'")
    })
    expect(() => {
      writeOutputs({ settings: settings(), deployment: DEPLOYMENT }, runnerJob)
    }).not.toThrow()
    expect(core.setFailed).toHaveBeenCalledWith(
      "Could not write the step's outputs (GITHUB_OUTPUT): EISDIR: illegal operation on a directory, open '/runner/_temp/set_output'",
    )
  })

  it('sets nothing before a deployment exists', () => {
    writeOutputs({ settings: settings(), dryRunRequest: 'POST …' }, runnerJob)
    writeOutputs({ settings: settings(), failure: { message: 'no', kind: 'other' } }, runnerJob)
    expect(core.setOutput).not.toHaveBeenCalled()
  })

  it("sets the deployment's outputs, with the body Vela answered as `deployment`", () => {
    const body = '{"id":12,"number":744479,"unknown_field":true}'
    writeOutputs({ settings: settings(), deployment: DEPLOYMENT, deploymentJson: body }, runnerJob)
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
    writeOutputs({ settings: settings(), deployment: legacy }, runnerJob)
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
    writeOutputs({ settings: settings(), deployment: { number: 744481 } }, runnerJob)
    expect(core.outputs()).toMatchObject({ id: '', number: '744481' })
  })

  it('sets the build outputs once a build was seen, its link from ui-url when the server sends none', () => {
    writeOutputs(
      {
        settings: settings({ uiUrl: 'https://vela-ui.example.com' }),
        deployment: DEPLOYMENT,
        build: { number: 9, status: 'failure', link: '' },
      },
      runnerJob,
    )
    expect(core.outputs()).toMatchObject({
      'build-number': '9',
      'build-status': 'failure',
      'build-url': 'https://vela-ui.example.com/octo-org/web-app/9',
    })
  })

  it('sets environment-url only once GitHub shows it', () => {
    writeOutputs({ settings: settings(), deployment: DEPLOYMENT, build: BUILD }, runnerJob)
    expect(core.outputs()).not.toHaveProperty('environment-url')
    writeOutputs(
      {
        settings: settings(),
        deployment: DEPLOYMENT,
        build: BUILD,
        environmentUrl: 'https://web.test',
      },
      runnerJob,
    )
    expect(core.outputs()).toMatchObject({ 'environment-url': 'https://web.test' })
  })

  it('sets empty build status and url when neither is known', () => {
    writeOutputs({ settings: settings(), deployment: DEPLOYMENT, build: { number: 9 } }, runnerJob)
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

  it('forms the deployments page from ui-url, else from the UI address in the build link', () => {
    expect(deploymentsPage(ui)).toBe('https://ci.example.com/vela/octo-org/web-app/deployments')
    expect(deploymentsPage(ui, BUILD)).toBe('https://ci.example.com/vela/octo-org/web-app/deployments')
    expect(deploymentsPage(settings())).toBeUndefined()
    expect(
      deploymentsPage(settings(), { number: 7, link: 'https://ci.example.com/vela/octo-org/web-app/7' }),
    ).toBe('https://ci.example.com/vela/octo-org/web-app/deployments')
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
    printUntrusted(['step ok', '::error::forged annotation', 'an ##[error] legacy one', 'cr\r'], jobLog)

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

describe("the summary's size", () => {
  const KiB = 1024
  /** GitHub drops a step's summary over 1 MiB whole, heading and result included. */
  const GITHUB_LIMIT = 1024 * KiB
  const bytes = (text: string) => Buffer.byteLength(text, 'utf8')
  // A long JSON log line: quotes and ampersands grow six- and fivefold when escaped.
  const jsonLine = (i: number) => `{"level":"error","n":${i},"msg":"${'"&<'.repeat(660)}"}`.slice(0, 2_000)
  const failedBuild = (steps: number): RunRecord => ({
    settings: settings(),
    deployment: DEPLOYMENT,
    build: { ...BUILD, status: 'failure' },
    failedSteps: Array.from({ length: steps }, (_, i) => ({
      name: `step-${i + 1}`,
      status: 'failure',
      exitCode: 1,
      lastLines: Array.from({ length: 50 }, (_, n) => jsonLine(n)),
    })),
    failure: { message: 'Build #7 ended with status failure', kind: 'build-failed' },
  })

  it('stays well under what GitHub takes, with eight failed steps of long JSON lines, and says what it cut', () => {
    const html = renderSummary(failedBuild(8), CONTEXT)
    expect(bytes(html)).toBeLessThanOrEqual(256 * KiB)
    const summary = readSummary(failedBuild(8))
    expect(summary.headings).toEqual(['❌ Deploy of octo-org/web-app main to production failed'])
    expect(summary.paragraphs[0]).toMatch(/^Vela build #7 failed at step step-1 \(exit code 1\)/)
    // The first step's last lines, the line that says why, are shown; where the room ran out is said.
    expect(summary.pre[0]?.split('\n').at(-1)).toBe(jsonLine(49))
    expect(summary.paragraphs.some((p) => /more failed steps are left out of this summary/.test(p))).toBe(
      true,
    )
    // The facts table is kept.
    expect(summary.labels).toContain('Vela deployment')
  })

  it('keeps the last lines of a step that only partly fits, and says how many were cut', () => {
    const summary = readSummary(failedBuild(8))
    const cut = summary.paragraphs.find((p) => /earlier lines left out/.test(p))
    expect(cut).toMatch(
      /^Last lines of step step-\d \(\d+ earlier lines left out to keep this summary small\):$/,
    )
  })

  it('caps every value the server sends, so the heading and result always fit', () => {
    const huge = 'x'.repeat(2 * GITHUB_LIMIT)
    const record: RunRecord = {
      settings: settings(),
      deployment: { ...DEPLOYMENT, ref: huge, target: huge, task: huge, commit: huge, created_by: huge },
      serverVersion: huge,
      build: { ...BUILD, status: 'error', error: huge, author: huge },
      failedSteps: [{ name: huge, status: 'error', exitCode: 1, lastLines: [huge] }],
      failure: { message: 'Build #7 ended with status error', kind: 'build-failed' },
    }
    const html = renderSummary(record, CONTEXT)
    expect(bytes(html)).toBeLessThanOrEqual(64 * KiB)
    const summary = readSummary(record)
    expect(summary.headings[0]).toMatch(/^❌ Deploy of octo-org\/web-app x+… to x+… failed$/)
    expect(summary.paragraphs[0]).toMatch(
      /^Vela build #7 ended in an error \(x+…\) at step x+… \(exit code 1\)/,
    )
  })
})
