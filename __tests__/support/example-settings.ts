import type { Settings } from '../../src/inputs/settings.js'

/** A Vela access token whose claims are {"sub":"octocat"}; it is never sent anywhere. */
export const EXAMPLE_VELA_TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJvY3RvY2F0In0.c2lnbmF0dXJlLXNlY3JldA'

/** Settings as getSettings would return them for a typical run, with `overrides` on top. */
export function exampleSettings(overrides: Partial<Settings> = {}): Settings {
  return {
    server: 'https://vela.example.com',
    credential: { kind: 'vela-token', token: EXAMPLE_VELA_TOKEN, user: 'octocat', expiresAt: undefined },
    org: 'octo-org',
    repo: 'app',
    ref: 'refs/heads/main',
    target: 'production',
    task: 'deploy:vela',
    description:
      'Deployed by GitHub Actions workflow "release" (https://github.com/octo-org/app/actions/runs/1)',
    parameters: { region: 'eu-west-1' },
    warnings: [],
    dryRun: false,
    wait: false,
    waitTimeoutMs: 30 * 60_000,
    pollIntervalMs: 10_000,
    requestTimeoutMs: 30_000,
    uiUrl: undefined,
    logs: 'failed',
    deployment: undefined,
    cancelBuildOnAbort: false,
    environmentUrl: undefined,
    github: undefined,
    ...overrides,
  }
}
