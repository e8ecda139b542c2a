// npm run test:real-vela: the bundled action against a real Vela server, given one built from Vela's own
// source (VELA_SERVER_BIN). Without it there is nothing to run against, and that is not a failure.
import { spawnSync } from 'node:child_process'

if (!process.env.VELA_SERVER_BIN) {
  console.log(
    'test:real-vela: VELA_SERVER_BIN is not set, so there is no Vela server to run against; nothing to do.',
  )
  process.exit(0)
}
const jest = spawnSync('jest', ['-c', 'jest.real-vela.config.js', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, NODE_OPTIONS: '--experimental-vm-modules' },
})
process.exit(jest.status ?? 1)
