import { describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { Input, Output } from '../src/inputs/names.js'
import { DEFAULT_TARGET, DEFAULT_TASK } from '../src/inputs/settings.js'
import { ACTION_VERSION } from '../src/shared/version.js'

// action.yml, the code and the README describe one contract; these keep them in agreement.

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')

const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>
  outputs: Record<string, { description: string }>
  name: string
  description: string
  author: string
  branding: { icon: string; color: string }
  runs: { using: string; main: string }
}

describe('action.yml', () => {
  it('declares exactly the inputs the code reads', () => {
    expect(Object.keys(action.inputs).sort()).toEqual(Object.values(Input).sort())
  })

  it('declares exactly the outputs the code sets', () => {
    expect(Object.keys(action.outputs).sort()).toEqual(Object.values(Output).sort())
  })

  it('gives every boolean input a default, since the runner passes an empty string otherwise', () => {
    expect(action.inputs[Input.dryRun]?.default).toBe('false')
    // A green step means the deploy succeeded, unless the workflow asks not to wait.
    expect(action.inputs[Input.wait]?.default).toBe('true')
  })

  it('has the target and task defaults the code counts on', () => {
    expect(action.inputs[Input.target]?.default).toBe(DEFAULT_TARGET)
    expect(action.inputs[Input.task]?.default).toBe(DEFAULT_TASK)
  })

  it('describes every input and output', () => {
    for (const item of [...Object.values(action.inputs), ...Object.values(action.outputs)]) {
      expect(item.description.length).toBeGreaterThan(10)
    }
  })

  it('runs the committed bundle on node24 and is ready for the Marketplace', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' })
    expect(action.name).toBeTruthy()
    expect(action.description).toBeTruthy()
    expect(action.author).toBeTruthy()
    expect(action.branding.icon).toBeTruthy()
    expect(['white', 'black', 'yellow', 'blue', 'green', 'orange', 'red', 'purple', 'gray-dark']).toContain(
      action.branding.color,
    )
  })
})

/** `npm run readme -- --check file ...`, as its own process: the script belongs to the tooling, not the tests. */
function checkReadmes(files: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const script = join(ROOT, 'scripts', 'readme-tables.ts')
  const args = ['--import', 'tsx', script, '--check', ...files]
  const env = { ...process.env, NODE_OPTIONS: undefined } // not jest's --experimental-vm-modules
  return new Promise((resolve) => {
    const child = execFile(process.execPath, args, { cwd: ROOT, env }, (_error, stdout, stderr) => {
      resolve({ status: child.exitCode, stdout, stderr })
    })
  })
}

describe('README', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')

  it('has the inputs and outputs tables generated from action.yml (npm run readme)', async () => {
    // The check does catch a stale table, and says which line: it also checks a copy with one cell changed.
    const dir = mkdtempSync(join(tmpdir(), 'readme-check-'))
    try {
      const current = join(ROOT, 'README.md')
      const stale = join(dir, 'README.md')
      writeFileSync(stale, readme.replace(/^\| `org` ( +)\| no /m, '| `org` $1| yes'))
      const check = await checkReadmes([current, stale])
      expect(check.stdout).toBe(`${current}: the inputs and outputs tables match action.yml.\n`)
      expect(check.stderr.startsWith(`${stale} is out of date with action.yml`)).toBe(true)
      expect(check.stderr).toMatch(/^- \| `org` +\| yes/m)
      expect(check.stderr).toMatch(/^\+ \| `org` +\| no /m)
      expect(check.status).toBe(1)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('shows a user the action on its first screen, and keeps the two commands to try it locally', () => {
    const firstScreen = readme.split('\n').slice(0, 25).join('\n')
    expect(firstScreen).toMatch(/uses: \S+\/vela-deploy-action@v1\n(?:.*\n)*? {4}wait: true/)
    expect(firstScreen).not.toContain('npm ')
    const local = /## Try it locally\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? ''
    expect(local).toContain('npm ci && npm run demo')
    // .ci/run runs this same command.
    expect(local).toContain('npm ci && npm test')
  })

  it('shows pictures that exist', () => {
    const pictures = [...readme.matchAll(/!\[[^\]]+\]\(([^)]+)\)/g)].map((m) => m[1] ?? '')
    expect(pictures.length).toBeGreaterThanOrEqual(3)
    for (const picture of pictures) expect(existsSync(join(ROOT, picture))).toBe(true)
  })
})

it('sends the package version as the User-Agent', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }
  expect(ACTION_VERSION).toBe(pkg.version)
})

it(".node-version names the runner's Node, the one action.yml declares", () => {
  expect(`node${readFileSync(join(ROOT, '.node-version'), 'utf8').trim()}`).toBe(action.runs.using)
})

describe('GitHub workflows', () => {
  const dir = join(ROOT, '.github', 'workflows')
  const workflows = readdirSync(dir).map((file) => ({ file, text: readFileSync(join(dir, file), 'utf8') }))

  it.each(workflows.map((w) => [w.file, w.text]))(
    '%s pins third-party actions by commit SHA',
    (_file, text) => {
      const uses = [...text.matchAll(/uses:\s*(\S+)/g)].map((m) => m[1] ?? '')
      for (const action of uses.filter((u) => !u.startsWith('./'))) expect(action).toMatch(/@[0-9a-f]{40}$/)
    },
  )

  it.each(workflows.map((w) => [w.file, w.text]))('%s reads contents only, by default', (_file, text) => {
    expect((parse(text) as { permissions?: unknown }).permissions).toEqual({ contents: 'read' })
  })

  it.each(workflows.map((w) => [w.file, w.text]))(
    '%s bounds every job with timeout-minutes, so a hung job does not run for 6 hours',
    (_file, text) => {
      const jobs = Object.values(
        (parse(text) as { jobs: Record<string, { 'timeout-minutes'?: unknown }> }).jobs,
      )
      expect(jobs.length).toBeGreaterThan(0)
      for (const job of jobs) expect(job['timeout-minutes']).toEqual(expect.any(Number))
    },
  )
})
