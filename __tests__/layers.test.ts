import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { ROOT } from '../fake-runner/run-action.js'

// src/ is a stack of folders, each with one concern. A folder uses only the folders below it, so a reader
// can learn the action from the bottom up and a change to a lower folder never needs a higher one.
const LAYERS = [
  'shared', // leaf helpers that know nothing else: safe text, durations, the action's failure kinds, its version
  'vela', // the Vela client: HTTP, proxies, tokens, answers; nothing of GitHub Actions or of the action
  'runner', // the GitHub runner's side: the job log and its signals
  'inputs', // the inputs read into one typed settings object, and the workflow's context
  'run', // what one run shares: its record, its clock and log, the pages it links to
  'deploy', // create a deployment (or preview, or attach to one) and explain a missing build
  'follow', // follow the deployment's build: poll, step progress and logs, cancel it when abandoned
  'github', // what the action asks GitHub itself, and only when asked: the environment's URL on the deployment
  'report', // outputs, job summary, the failure line, how a run ends
  '.', // index.ts and main.ts, which put the floors together
] as const

/** Packages a layer may not import: the Vela client and the leaf helpers know nothing of GitHub Actions. */
const NO_ACTIONS = new Set(['shared', 'vela'])

const SRC = join(ROOT, 'src')

function layerOf(file: string): string {
  const folder = relative(SRC, dirname(file)).split('/')[0]
  return folder === '' ? '.' : (folder as string)
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  const statics = [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/gm)]
  const dynamics = [...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)]
  return [...statics, ...dynamics].map((m) => m[1] as string)
}

const files = readdirSync(SRC, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts'))
  .map((f) => join(SRC, f))

describe('src/', () => {
  it('has a layer for every folder', () => {
    expect(files.map(layerOf).filter((layer) => !LAYERS.includes(layer as never))).toEqual([])
  })

  it.each(files.map((f) => [relative(ROOT, f), f]))(
    '%s imports only its own layer and those below',
    (_, file) => {
      const own = LAYERS.indexOf(layerOf(file) as never)
      const above = importsOf(file)
        .filter((spec) => spec.startsWith('.'))
        .map((spec) => layerOf(resolve(dirname(file), spec)))
        .filter((layer) => LAYERS.indexOf(layer as never) > own)
      expect(above).toEqual([])
    },
  )

  it.each(files.filter((f) => NO_ACTIONS.has(layerOf(f))).map((f) => [relative(ROOT, f), f]))(
    '%s imports nothing of GitHub Actions',
    (_, file) => {
      expect(importsOf(file).filter((spec) => spec.startsWith('@actions/'))).toEqual([])
    },
  )

  it.each(files.filter((f) => layerOf(f) === 'shared').map((f) => [relative(ROOT, f), f]))(
    '%s imports nothing at all',
    (_, file) => {
      expect(importsOf(file)).toEqual([])
    },
  )
})
