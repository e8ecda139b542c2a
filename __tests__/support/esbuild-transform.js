import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { transformSync, version } from 'esbuild'

// Jest's TypeScript transform: strips the types of each file on its own, as tsconfig's isolatedModules
// allows; `npm run typecheck` does the type checking. esbuild needs no TypeScript compiler loaded in each
// jest worker, which made the in-process suites take about a tenth more CPU.

const here = fileURLToPath(import.meta.url)
const tsconfig = readFileSync(join(dirname(here), '..', '..', 'tsconfig.json'), 'utf8')
const self = readFileSync(here, 'utf8')

export default {
  getCacheKey(source, path, { configString, instrument }) {
    return createHash('sha1')
      .update([source, path, configString, String(instrument), version, tsconfig, self].join('\0'))
      .digest('hex')
  },

  process(source, path) {
    const { code, map } = transformSync(source, {
      loader: 'ts',
      format: 'esm',
      target: 'node20',
      sourcefile: path,
      sourcemap: 'external',
      tsconfigRaw: tsconfig,
    })
    return { code, map }
  },
}
