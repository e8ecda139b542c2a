// Writes dist/licenses.txt: the name, version, license and license text of every package whose code is in
// the bundle, read from the webpack stats that `ncc build --stats-out` wrote into dist/, which it then removes:
// they are not part of the bundle. Run by `npm run bundle`.
//
// ncc's own --license option is not used: its license plugin writes one file per chunk under the same
// name, so the last chunk written (the lazily loaded one holding yaml) replaced the notices of the others.

import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const [statsFile, outputFile] = process.argv.slice(2)
if (!statsFile || !outputFile) throw new Error('usage: tsx scripts/licenses.ts <webpack stats.json> <output>')

interface StatsModule {
  nameForCondition?: string
  modules?: StatsModule[]
}
interface Stats {
  modules?: StatsModule[]
}

const NODE_MODULES = '/node_modules/'

/** The directory of the installed package a bundled file belongs to, e.g. /x/node_modules/@actions/core. */
function packageDirOf(file: string): string | undefined {
  const at = file.lastIndexOf(NODE_MODULES)
  if (at < 0) return undefined
  const segments = file.slice(at + NODE_MODULES.length).split('/')
  const nameLength = segments[0]?.startsWith('@') ? 2 : 1
  return file.slice(0, at + NODE_MODULES.length) + segments.slice(0, nameLength).join('/')
}

function collect(modules: StatsModule[] | undefined, into: Set<string>): void {
  for (const module of modules ?? []) {
    const dir = module.nameForCondition && packageDirOf(module.nameForCondition)
    if (dir) into.add(dir)
    // A concatenated module lists the modules it is made of.
    collect(module.modules, into)
  }
}

function licenseText(dir: string, name: string): string {
  const file = readdirSync(dir)
    .filter((entry) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(entry))
    .sort()[0]
  if (!file) throw new Error(`${name} has no LICENSE file; its notice cannot be shipped with the bundle`)
  return readFileSync(join(dir, file), 'utf8').trim()
}

const stats = JSON.parse(readFileSync(statsFile, 'utf8')) as Stats
rmSync(statsFile)
const dirs = new Set<string>()
collect(stats.modules, dirs)

const packages = [...dirs]
  .map((dir) => {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      name: string
      version: string
      license?: string
    }
    return { ...manifest, text: licenseText(dir, manifest.name) }
  })
  .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))

const sections = packages.map(
  (p) => `${p.name} ${p.version}\nLicense: ${p.license ?? 'see below'}\n\n${p.text}\n`,
)
writeFileSync(
  outputFile,
  `Third-party software in dist/, with the notice of each package.\n\n${sections.join('\n---\n\n')}`,
)
console.log(`${outputFile}: ${packages.map((p) => `${p.name}@${p.version}`).join(', ')}`)
