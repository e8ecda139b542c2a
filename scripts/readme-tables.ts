// Generates the README's inputs and outputs tables from action.yml, so the two never disagree.
//   npm run readme                       rewrite the tables in README.md
//   npm run readme -- --check [file ...] exit 1 and show the difference when README.md (or a file) is stale
// A test runs the check, so it fails when README.md is out of date.

import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

interface ActionInput {
  description: string
  required?: boolean
  default?: string
}
interface ActionYaml {
  inputs: Record<string, ActionInput>
  outputs: Record<string, { description: string }>
}

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')

function readActionYaml(): ActionYaml {
  return parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionYaml
}

const cell = (text: string) =>
  text.replace(/\s+/g, ' ').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;').trim()

function inputsTable(action: ActionYaml): string {
  const rows = Object.entries(action.inputs).map(
    ([name, input]) =>
      `| \`${name}\` | ${input.required ? 'yes' : 'no'} | ${input.default === undefined ? '' : `\`${input.default}\``} | ${cell(input.description)} |`,
  )
  return ['| Input | Required | Default | Description |', '| --- | --- | --- | --- |', ...rows].join('\n')
}

function outputsTable(action: ActionYaml): string {
  const rows = Object.entries(action.outputs).map(
    ([name, output]) => `| \`${name}\` | ${cell(output.description)} |`,
  )
  return ['| Output | Description |', '| --- | --- |', ...rows].join('\n')
}

const SECTIONS = ['inputs', 'outputs'] as const

/** The generated section `name` of the README: the start marker, the table, the end marker. */
function findSection(readme: string, name: string): RegExpExecArray {
  const found = new RegExp(`(<!-- ${name}:start -->\\n)([\\s\\S]*?)(<!-- ${name}:end -->)`).exec(readme)
  if (!found) throw new Error(`README.md has no <!-- ${name}:start/end --> markers`)
  return found
}

function tables(action: ActionYaml): Record<(typeof SECTIONS)[number], string> {
  return { inputs: inputsTable(action), outputs: outputsTable(action) }
}

/** README text with the generated sections replaced, formatted as the repository's Prettier config says. */
async function withTables(readme: string, action: ActionYaml): Promise<string> {
  const wanted = tables(action)
  let text = readme
  for (const section of SECTIONS) {
    const found = findSection(text, section)
    const [whole, start = '', , end = ''] = found
    text =
      text.slice(0, found.index) +
      `${start}${wanted[section]}\n${end}` +
      text.slice(found.index + whole.length)
  }
  // Loaded only to rewrite: the check compares cells, so it runs without Prettier's start-up cost.
  const { format, resolveConfig } = await import('prettier')
  const path = join(ROOT, 'README.md')
  return format(text, { ...(await resolveConfig(path)), filepath: path })
}

/** A table's rows with the padding Prettier adds taken out: one space around each cell, `---` rules. */
function cells(table: string): string {
  return table
    .trim()
    .split('\n')
    .map((row) =>
      row
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim().replace(/^-{3,}$/, '---'))
        .join(' | ')
        .trim(),
    )
    .join('\n')
}

/** Where README.md's generated sections differ from what action.yml makes, cell by cell; empty when they agree. */
function staleTables(readme: string, action: ActionYaml): string[] {
  const wanted = tables(action)
  return SECTIONS.flatMap((section) => {
    const found = findSection(readme, section)
    const table = found[2] ?? ''
    const actual = cells(table)
    const expected = cells(wanted[section])
    if (actual === expected) return []
    const tableStart = found.index + (found[1] ?? '').length + (table.length - table.trimStart().length)
    const firstLine = readme.slice(0, tableStart).split('\n').length
    return [lineDifference(actual, expected, firstLine)]
  })
}

/**
 * The lines that differ between two texts, `-` for `actual` and `+` for `wanted`, with the line number they
 * start at when `actual` starts at line `firstLine`.
 */
function lineDifference(actual: string, wanted: string, firstLine = 1): string {
  const a = actual.split('\n')
  const b = wanted.split('\n')
  let start = 0
  while (start < a.length && start < b.length && a[start] === b[start]) start++
  let end = 0
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end])
    end++
  return [
    `from line ${firstLine + start}:`,
    ...a.slice(start, a.length - end).map((line) => `- ${line}`),
    ...b.slice(start, b.length - end).map((line) => `+ ${line}`),
  ].join('\n')
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2)
  const check = args.includes('--check')
  const files = args.filter((arg) => arg !== '--check')
  const action = readActionYaml()
  for (const path of files.length > 0 ? files : [join(ROOT, 'README.md')]) {
    const readme = readFileSync(path, 'utf8')
    if (!check) {
      writeFileSync(path, await withTables(readme, action))
      continue
    }
    const stale = staleTables(readme, action)
    if (stale.length > 0) {
      console.error(
        `${path} is out of date with action.yml; run \`npm run readme\` to update it.\n${stale.join('\n')}`,
      )
      process.exitCode = 1
    } else {
      console.log(`${path}: the inputs and outputs tables match action.yml.`)
    }
  }
}
