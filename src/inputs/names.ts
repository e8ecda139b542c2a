// The action's public contract: input and output names exactly as action.yml declares them.
// A test keeps this file and action.yml in agreement.

export const Input = {
  server: 'server',
  token: 'token',
  org: 'org',
  repo: 'repo',
  ref: 'ref',
  target: 'target',
  task: 'task',
  description: 'description',
  payload: 'payload',
  dryRun: 'dry-run',
  wait: 'wait',
  waitTimeout: 'wait-timeout',
  pollInterval: 'poll-interval',
  requestTimeout: 'request-timeout',
  uiUrl: 'ui-url',
  logs: 'logs',
  deployment: 'deployment',
  cancelBuildOnAbort: 'cancel-build-on-abort',
  environmentUrl: 'environment-url',
  githubToken: 'github-token',
} as const

export const Output = {
  id: 'id',
  number: 'number',
  commit: 'commit',
  ref: 'ref',
  target: 'target',
  task: 'task',
  url: 'url',
  deployment: 'deployment',
  buildNumber: 'build-number',
  buildStatus: 'build-status',
  buildUrl: 'build-url',
  environmentUrl: 'environment-url',
} as const

export type InputName = (typeof Input)[keyof typeof Input]
