import * as core from './workflow-commands.js'

/** What a run hands the runner besides its log: masks, outputs, the job summary and the step's failure. */
export interface Job {
  /** Hides a secret in everything printed after this. */
  mask(secret: string): void
  setOutput(name: string, value: string | number): void
  /** Appends to the job summary; outside a runner there is none, which is fine. */
  appendSummary(html: string): Promise<void>
  /** Fails the step with one line. */
  setFailed(message: string): void
}

export const runnerJob: Job = {
  mask: (secret) => {
    core.setSecret(secret)
  },
  setOutput: (name, value) => {
    core.setOutput(name, value)
  },
  appendSummary: async (html) => {
    if (!process.env.GITHUB_STEP_SUMMARY) return
    await core.summary.addRaw(html, true).write()
  },
  setFailed: (message) => {
    core.setFailed(message)
  },
}
