import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT } from '../fake-runner/run-action.js'

// The Vela client is a layer of its own: it knows nothing of GitHub Actions or of how the action runs.

const VELA = join(ROOT, 'src', 'vela')
/** Outside src/vela/, only these leaf modules may be imported: they know nothing of the action either. */
const SHARED = new Set(['../safe-text.js', '../version.js'])

function importsOf(file: string): string[] {
  const text = readFileSync(join(VELA, file), 'utf8')
  return [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map(
    (m) => m[1] as string,
  )
}

describe('src/vela/', () => {
  const files = readdirSync(VELA).filter((f) => f.endsWith('.ts'))

  it.each(files)('%s imports nothing of GitHub Actions or of the action', (file) => {
    const outside = importsOf(file).filter((spec) => spec.startsWith('.') && !spec.startsWith('./'))
    expect(outside.filter((spec) => !SHARED.has(spec))).toEqual([])
    expect(importsOf(file).filter((spec) => spec.startsWith('@actions/'))).toEqual([])
  })

  it.each([...SHARED])('%s, which it may use, imports nothing in turn', (spec) => {
    const text = readFileSync(join(VELA, spec.replace(/\.js$/, '.ts')), 'utf8')
    expect(text).not.toMatch(/^\s*import\b/m)
  })
})
