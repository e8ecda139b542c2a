import { z } from 'zod/mini'

// The shapes we read from Vela, tolerant of older servers: every field Vela marks `omitempty` is optional,
// and unknown fields pass through untouched. Only the fields the action reads are checked, so a change in
// any other field never breaks a run. zod/mini: the same checks as zod, at a fraction of the size.

const int = z.int()
const optionalString = z.optional(z.string())
const optionalNumber = z.optional(z.number())
const optionalInt = z.optional(int)

const Repo = z.looseObject({
  active: z.optional(z.boolean()),
  allow_events: z.nullish(
    z.looseObject({ deployment: z.nullish(z.looseObject({ created: z.optional(z.boolean()) })) }),
  ),
})

export const Build = z.looseObject({
  number: int,
  status: optionalString,
  error: optionalString,
  // The deployment's number; builds carry it since v0.23. Before, only `source` (the deployment's URL) does.
  deploy_number: optionalInt,
  // The deployment's parameters, as the webhook gave them to the build (checked where read).
  deploy_payload: z.optional(z.unknown()),
  source: optionalString,
  link: optionalString,
  // For the job summary: who deployed, and how long the build ran (Unix seconds, 0 until set).
  author: optionalString,
  started: optionalNumber,
  finished: optionalNumber,
})
export type Build = z.infer<typeof Build>

export const Deployment = z
  .looseObject({
    id: optionalInt,
    // The GitHub deployment id; servers before v0.23 send no `number`, and their `id` is that id.
    number: optionalInt,
    commit: optionalString,
    ref: optionalString,
    target: optionalString,
    task: optionalString,
    url: optionalString,
    description: optionalString,
    created_at: optionalNumber,
    created_by: optionalString,
    // Nested since v0.26; older servers send `repo_id` instead.
    repo: z.nullish(Repo),
    builds: z.nullish(z.array(Build)),
  })
  .check(z.refine((d) => d.number !== undefined || d.id !== undefined, 'no deployment id or number'))
export type Deployment = z.infer<typeof Deployment>

/** The number to use in `GET …/deployments/:org/:repo/:number` and to match `build.deploy_number`. */
export function deploymentNumber(deployment: Deployment): number {
  return (deployment.number ?? deployment.id) as number
}

/**
 * Vela's behaviour changed twice for what the action needs (docs/vela-api.md §1.10):
 * - 'v0.22': deployments live only on GitHub (`id` is GitHub's, no `number`); builds carry no
 *   `deploy_number`, only `source`.
 * - 'v0.23-v0.25': deployments are stored with a `number`, but GET …/:n looks `n` up as the database id,
 *   so it never answers with the deployment's `builds`; `repo_id` instead of a nested repo.
 * - 'v0.26+': GET …/:number answers the stored deployment with its builds; the repo is nested.
 */
export type ServerEra = 'v0.22' | 'v0.23-v0.25' | 'v0.26+'

/** The era, told by a deployment as the create (or the deployment list) answers it. */
export function serverEra(deployment: Deployment): ServerEra {
  if (deployment.number === undefined) return 'v0.22'
  return deployment.repo ? 'v0.26+' : 'v0.23-v0.25'
}

const ERA_NAMES: Record<ServerEra, string> = {
  'v0.22': 'Vela v0.22 or older',
  'v0.23-v0.25': 'Vela v0.23 to v0.25',
  'v0.26+': 'Vela v0.26 or newer',
}

export function describeEra(era: ServerEra): string {
  return ERA_NAMES[era]
}

export const DeploymentList = z.array(Deployment)
export const BuildList = z.array(Build)

export const Step = z.looseObject({
  number: int,
  name: optionalString,
  // Empty unless the pipeline has stages.
  stage: optionalString,
  status: optionalString,
  error: optionalString,
  exit_code: optionalInt,
  // Unix seconds, 0 until set.
  started: optionalNumber,
  finished: optionalNumber,
})
export type Step = z.infer<typeof Step>
export const StepList = z.array(Step)

// A step's log, as GET …/steps/:step/logs answers it.
export const StepLogBody = z.looseObject({ data: z.nullish(z.string()) })

const Hook = z.looseObject({
  number: optionalNumber,
  event: optionalString,
  status: optionalString,
  error: optionalString,
  created: optionalNumber,
})
export type Hook = z.infer<typeof Hook>
export const HookList = z.array(Hook)

const Parameter = z.looseObject({
  description: optionalString,
  type: optionalString,
  required: z.optional(z.boolean()),
  options: z.nullish(z.array(z.string())),
  min: optionalNumber,
  max: optionalNumber,
})
export const DeploymentConfig = z.looseObject({
  targets: z.nullish(z.array(z.string())),
  parameters: z.nullish(z.record(z.string(), Parameter)),
})
export type DeploymentConfig = z.infer<typeof DeploymentConfig>

/** GET /version (api/version.go): `canonical` is the release tag, e.g. "v0.28.8". */
export const ServerVersion = z.looseObject({ canonical: z.string() })

export const TokenResponse = z.looseObject({ token: z.string().check(z.minLength(1)) })
