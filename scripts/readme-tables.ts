// Generates the README's inputs and outputs tables from action.yml, so the two never disagree.
//   npm run readme                       rewrite the tables in README.md
//   npm run readme -- --check [file]     exit 1 and show the difference when README.md (or file) is stale
// A test runs the check, so it fails when README.md is out of date.

import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { format, resolveConfig } from 'prettier'
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

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')

export function readActionYaml(): ActionYaml {
  return parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionYaml
}

const cell = (text: string) =>
  text.replace(/\s+/g, ' ').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;').trim()

export function inputsTable(action: ActionYaml): string {
  const rows = Object.entries(action.inputs).map(
    ([name, input]) =>
      `| \`${name}\` | ${input.required ? 'yes' : 'no'} | ${input.default === undefined ? '' : `\`${input.default}\``} | ${cell(input.description)} |`,
  )
  return ['| Input | Required | Default | Description |', '| --- | --- | --- | --- |', ...rows].join('\n')
}

export function outputsTable(action: ActionYaml): string {
  const rows = Object.entries(action.outputs).map(
    ([name, output]) => `| \`${name}\` | ${cell(output.description)} |`,
  )
  return ['| Output | Description |', '| --- | --- |', ...rows].join('\n')
}

/** README text with the generated sections replaced, formatted as the repository's Prettier config says. */
export async function withTables(readme: string, action: ActionYaml): Promise<string> {
  const replace = (text: string, section: string, table: string) => {
    const pattern = new RegExp(`(<!-- ${section}:start -->\\n)[\\s\\S]*?(<!-- ${section}:end -->)`)
    if (!pattern.test(text)) throw new Error(`README.md has no <!-- ${section}:start/end --> markers`)
    return text.replace(pattern, `$1${table}\n$2`)
  }
  const text = replace(replace(readme, 'inputs', inputsTable(action)), 'outputs', outputsTable(action))
  const path = join(ROOT, 'README.md')
  return format(text, { ...(await resolveConfig(path)), filepath: path })
}

/** The lines that differ between two texts, `-` for `actual` and `+` for `wanted`, with their line number. */
export function lineDifference(actual: string, wanted: string): string {
  const a = actual.split('\n')
  const b = wanted.split('\n')
  let start = 0
  while (start < a.length && start < b.length && a[start] === b[start]) start++
  let end = 0
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end])
    end++
  return [
    `from line ${start + 1}:`,
    ...a.slice(start, a.length - end).map((line) => `- ${line}`),
    ...b.slice(start, b.length - end).map((line) => `+ ${line}`),
  ].join('\n')
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2)
  const check = args.includes('--check')
  const path = args.find((arg) => arg !== '--check') ?? join(ROOT, 'README.md')
  const readme = readFileSync(path, 'utf8')
  const wanted = await withTables(readme, readActionYaml())
  if (!check) {
    writeFileSync(path, wanted)
  } else if (readme !== wanted) {
    console.error(
      `${path} is out of date with action.yml; run \`npm run readme\` to update it.\n${lineDifference(readme, wanted)}`,
    )
    process.exitCode = 1
  } else {
    console.log(`${path}: the inputs and outputs tables match action.yml.`)
  }
}
