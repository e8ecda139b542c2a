// Serves the local Vela stand-in until stopped, for running the action by hand (npm run local)
// or from a workflow (`uses: ./`). It knows one user with a personal access token and one repository
// whose deployment builds succeed after a few seconds.
//
//   npm run serve-fake-vela            on port 8080
//   npm run serve-fake-vela -- 9090    on another port
// Prints VELA_URL and VELA_TOKEN, and appends them to $GITHUB_ENV when that is set.

import { appendFileSync } from 'node:fs'
import { startFakeVela } from '../fake-vela/index.js'

export const FAKE_VELA_TOKEN = 'ghp_localStandInPersonalAccessToken00000'
const port = Number(process.argv[2] ?? 8080)

const vela = await startFakeVela({ port })
vela.addUser('octocat')
vela.addPat(FAKE_VELA_TOKEN, 'octocat')
vela.addRepo('octo-org', 'web-app', {
  refs: { 'refs/heads/main': '9f1c0e5d4b3a29180716f5e4d3c2b1a098765432' },
})
vela.setBuildPlan('octo-org', 'web-app', {
  webhookDelayMs: 1_000,
  timeline: [
    { status: 'pending', afterMs: 0 },
    { status: 'running', afterMs: 1_000 },
    { status: 'success', afterMs: 3_000 },
  ],
})

const settings = `VELA_URL=${vela.url}\nVELA_TOKEN=${FAKE_VELA_TOKEN}\n`
process.stdout.write(settings)
if (process.env.GITHUB_ENV) appendFileSync(process.env.GITHUB_ENV, settings)
console.log('Serving the Vela stand-in (repository octo-org/web-app) until stopped (Ctrl-C).')

const stop = () => {
  void vela.close().then(() => process.exit(0))
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
