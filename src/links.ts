import { isHttpUrl } from './safe-text.js'
import type { Settings } from './settings.js'
import type { Build } from './vela/schemas.js'

// Pages of the Vela web UI, for people to open. The server sends a build's `link`; everything else is
// formed from the `ui-url` input, when it is set.

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

/** The repository's deployments page, when `ui-url` is set. */
export function deploymentsPage(settings: Settings): string | undefined {
  return uiPage(settings, 'deployments')
}
