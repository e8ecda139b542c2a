import { z } from 'zod'

// The shapes we read from Vela, tolerant of older servers: every field Vela marks `omitempty` is optional,
// and unknown fields pass through untouched.

const Repo = z.looseObject({
  full_name: z.string().optional(),
  active: z.boolean().optional(),
  allow_events: z
    .looseObject({ deployment: z.looseObject({ created: z.boolean().optional() }).nullish() })
    .nullish(),
})

export const Build = z.looseObject({
  number: z.number().int(),
  status: z.string().optional(),
  error: z.string().optional(),
  event: z.string().optional(),
  deploy: z.string().optional(),
  deploy_number: z.number().int().optional(),
  commit: z.string().optional(),
  link: z.string().optional(),
  created: z.number().optional(),
  finished: z.number().optional(),
})
export type Build = z.infer<typeof Build>

export const Deployment = z
  .looseObject({
    id: z.number().int().optional(),
    // The GitHub deployment id; servers before v0.23 send no `number`, and their `id` is that id.
    number: z.number().int().optional(),
    commit: z.string().optional(),
    ref: z.string().optional(),
    target: z.string().optional(),
    task: z.string().optional(),
    url: z.string().optional(),
    description: z.string().optional(),
    payload: z.unknown().optional(),
    created_at: z.number().optional(),
    created_by: z.string().optional(),
    repo: Repo.nullish(),
    builds: z.array(Build).nullish(),
  })
  .refine((d) => d.number !== undefined || d.id !== undefined, 'no deployment id or number')
export type Deployment = z.infer<typeof Deployment>

/** The number to use in `GET …/deployments/:org/:repo/:number` and to match `build.deploy_number`. */
export function deploymentNumber(deployment: Deployment): number {
  return (deployment.number ?? deployment.id) as number
}

export const DeploymentList = z.array(Deployment)
export const BuildList = z.array(Build)

export const Step = z.looseObject({
  number: z.number().int(),
  name: z.string().optional(),
  status: z.string().optional(),
  error: z.string().optional(),
  exit_code: z.number().int().optional(),
})
export type Step = z.infer<typeof Step>
export const StepList = z.array(Step)

export const Log = z.looseObject({ data: z.string().nullish() })

export const Hook = z.looseObject({
  number: z.number().optional(),
  event: z.string().optional(),
  event_action: z.string().optional(),
  status: z.string().optional(),
  error: z.string().optional(),
  created: z.number().optional(),
})
export type Hook = z.infer<typeof Hook>
export const HookList = z.array(Hook)

const Parameter = z.looseObject({
  description: z.string().optional(),
  type: z.string().optional(),
  required: z.boolean().optional(),
  options: z.array(z.string()).nullish(),
  min: z.number().optional(),
  max: z.number().optional(),
})
export const DeploymentConfig = z.looseObject({
  targets: z.array(z.string()).nullish(),
  parameters: z.record(z.string(), Parameter).nullish(),
})
export type DeploymentConfig = z.infer<typeof DeploymentConfig>

export const TokenResponse = z.looseObject({ token: z.string().min(1) })
