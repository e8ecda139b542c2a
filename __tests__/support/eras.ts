import { afterAll, beforeAll } from '@jest/globals'
import { startFakeVela, type FakeVela, type FakeVelaOptions, type VelaEra } from '../../fake-vela/index.js'

// The eras of Vela the fake models (docs/vela-api.md §1.10), each with the release the fake names for it.

export const ERAS: ReadonlyArray<{ era: VelaEra; release: string }> = [
  { era: 'v0.22', release: 'v0.22.2' },
  { era: 'v0.23-v0.25', release: 'v0.25.3' },
  { era: 'v0.26+', release: 'v0.28.8' },
]

/**
 * A fake Vela of each era with the user octocat, for the test file's life; returns the one of an era.
 * `now` is the servers' clock (an in-process action's virtual one; default real time).
 */
export function useEraServers(now?: FakeVelaOptions['now']): (era: VelaEra) => FakeVela {
  const servers = new Map<VelaEra, FakeVela>()
  beforeAll(async () => {
    for (const { era } of ERAS) {
      const vela = await startFakeVela({ era, webUiAddr: null, now })
      vela.addUser('octocat')
      servers.set(era, vela)
    }
  })
  afterAll(async () => {
    await Promise.all([...servers.values()].map((vela) => vela.close()))
  })
  return (era) => servers.get(era) as FakeVela
}
