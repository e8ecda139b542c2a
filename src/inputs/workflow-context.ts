// The workflow context, read from the variables the runner sets. @actions/github's `context` would
// give the same values but loads Octokit to do it, which costs start-up time and bundle size.

export interface WorkflowContext {
  /** `owner/name` of the repository the workflow runs in. */
  repository: { owner: string; repo: string } | undefined
  /** The ref that triggered the workflow, e.g. `refs/tags/v1.2.3`. */
  ref: string | undefined
  workflow: string | undefined
  /** The GitHub web address, e.g. `https://github.com` or a GitHub Enterprise Server's. */
  serverUrl: string
  /** GitHub's REST address: `https://api.github.com`, or a GitHub Enterprise Server's `…/api/v3`. */
  apiUrl: string
  /**
   * Link to this attempt of the workflow run, when the runner told us enough to form it. A re-run is a new
   * attempt of the same run, so the attempt is part of what identifies this run's deployment.
   */
  runUrl: string | undefined
}

export function readWorkflowContext(env: NodeJS.ProcessEnv = process.env): WorkflowContext {
  const [owner, repo, ...rest] = (env.GITHUB_REPOSITORY ?? '').split('/')
  const repository = owner && repo && rest.length === 0 ? { owner, repo } : undefined
  const serverUrl = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '')
  const runId = env.GITHUB_RUN_ID
  const attempt = /^[1-9][0-9]*$/.test(env.GITHUB_RUN_ATTEMPT ?? '') ? env.GITHUB_RUN_ATTEMPT : undefined
  return {
    repository,
    ref: env.GITHUB_REF || undefined,
    workflow: env.GITHUB_WORKFLOW || undefined,
    serverUrl,
    apiUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''),
    runUrl:
      repository && runId
        ? `${serverUrl}/${repository.owner}/${repository.repo}/actions/runs/${runId}${attempt ? `/attempts/${attempt}` : ''}`
        : undefined,
  }
}
