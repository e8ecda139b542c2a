import { z } from 'zod/mini'

// The shapes we read from Vela, tolerant of older servers: every field Vela marks `omitempty` is optional,
// and unknown fields pass through untouched. zod/mini: the same checks as zod, at a fraction of the size.

const int = z.int()
const optionalString = z.optional(z.string())
const optionalNumber = z.optional(z.number())
const optionalInt = z.optional(int)

const Repo = z.looseObject({
  full_name: optionalString,
  active: z.optional(z.boolean()),
  allow_events: z.nullish(
    z.looseObject({ deployment: z.nullish(z.looseObject({ created: z.optional(z.boolean()) })) }),
  ),
})

export const Build = z.looseObject({
  number: int,
  status: optionalString,
  error: optionalString,
  event: optionalString,
  deploy: optionalString,
  deploy_number: optionalInt,
  commit: optionalString,
  link: optionalString,
  author: optionalString,
  created: optionalNumber,
  // Unix seconds, 0 until set.
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
    payload: z.optional(z.unknown()),
    created_at: optionalNumber,
    created_by: optionalString,
    repo: z.nullish(Repo),
    builds: z.nullish(z.array(Build)),
  })
  .check(z.refine((d) => d.number !== undefined || d.id !== undefined, 'no deployment id or number'))
export type Deployment = z.infer<typeof Deployment>

/** The number to use in `GET …/deployments/:org/:repo/:number` and to match `build.deploy_number`. */
export function deploymentNumber(deployment: Deployment): number {
  return (deployment.number ?? deployment.id) as number
}

export const DeploymentList = z.array(Deployment)
export const BuildList = z.array(Build)

export const Step = z.looseObject({
  number: int,
  name: optionalString,
  status: optionalString,
  error: optionalString,
  exit_code: optionalInt,
})
export type Step = z.infer<typeof Step>
export const StepList = z.array(Step)

export const Log = z.looseObject({ data: z.nullish(z.string()) })

const Hook = z.looseObject({
  number: optionalNumber,
  event: optionalString,
  event_action: optionalString,
  status: optionalString,
  error: optionalString,
  created: optionalNumber,
})
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

export const TokenResponse = z.looseObject({ token: z.string().check(z.minLength(1)) })
