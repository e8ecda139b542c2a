import { isHttpUrl } from '../shared/safe-text.js'
import type { Settings } from '../inputs/settings.js'
import type { Build } from '../vela/schemas.js'

// Pages for people to open. Vela's: the server sends a build's `link`; the UI's address is otherwise the
// `ui-url` input. GitHub's: formed from the GitHub web address the runner names. Never an API address.

function uiPage(settings: Settings, ...segments: string[]): string | undefined {
  if (!settings.uiUrl) return undefined
  return [settings.uiUrl, settings.org, settings.repo, ...segments].join('/')
}

/**
 * The build's page: its own link when it is an http(s) address (servers without a web UI address send ""),
 * else one formed from `ui-url`.
 */
export function buildPage(build: Build, settings: Settings): string | undefined {
  return isHttpUrl(build.link) ? build.link : uiPage(settings, String(build.number))
}

/**
 * The repository's deployments page in the Vela UI: under `ui-url` when it is set, else under the address
 * the build's link shows the UI at (`<ui>/<org>/<repo>/<number>`).
 */
export function deploymentsPage(settings: Settings, build?: Build): string | undefined {
  const fromInput = uiPage(settings, 'deployments')
  if (fromInput || !build?.link) return fromInput
  const buildSuffix = `/${settings.org}/${settings.repo}/${build.number}`
  if (!build.link.toLowerCase().endsWith(buildSuffix.toLowerCase())) return undefined
  return `${build.link.slice(0, -buildSuffix.length)}/${settings.org}/${settings.repo}/deployments`
}

/** Where to see whether a deployment exists, when the action could not tell. */
export function whereToCheck(settings: Settings): string {
  return (
    deploymentsPage(settings) ??
    `the deployments of ${settings.org}/${settings.repo} in Vela (or the repository's GitHub deployments)`
  )
}

export interface GithubPages {
  commit(sha: string): string
  /** A branch's or tag's files; GitHub answers the same address for either. */
  tree(name: string): string
  /** The environment's deployments. */
  environment(name: string): string
}

/** Pages of the deployed repository on GitHub. */
export function githubPages(githubUrl: string, settings: Settings): GithubPages {
  const repository = `${githubUrl}/${settings.org}/${settings.repo}`
  const path = (name: string) => name.split('/').map(encodeURIComponent).join('/')
  return {
    commit: (sha: string) => `${repository}/commit/${encodeURIComponent(sha)}`,
    tree: (name: string) => `${repository}/tree/${path(name)}`,
    environment: (name: string) => `${repository}/deployments/${encodeURIComponent(name)}`,
  }
}
