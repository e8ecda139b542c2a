// The pipeline `deployment:` block: validation on create (§1.4) and its JSON for GET …/config (§3.1).
import type { DeploymentConfig } from './types.js'
import { sortedMap } from './go.js'

/**
 * Deployment.Validate(target, payload): undefined when valid, else the reason. Targets, required parameters
 * and options are checked; a parameter's type, min and max are not.
 */
export function validateDeployment(
  config: DeploymentConfig | undefined,
  target: string,
  payload: Record<string, string>,
): string | undefined {
  const targets = config?.targets ?? []
  // targets: exact, case-sensitive; a left-out target is "" and fails.
  if (targets.length > 0 && !targets.includes(target)) {
    return `deployment target \`${target}\` not found in deployment config targets`
  }
  // parameter keys compare case-insensitively (v0.26.2); undeclared parameters are allowed.
  const input = new Map<string, string>()
  for (const [key, value] of Object.entries(payload)) input.set(key.toLowerCase(), value)
  // The server walks a Go map (random order); the fake uses the config's order.
  for (const [name, param] of Object.entries(config?.parameters ?? {})) {
    const value = input.get(name.toLowerCase())
    if (value === undefined) {
      if (param.required) return `deployment parameter ${name} is required`
    } else if (param.options?.length && value.length > 0 && !param.options.includes(value)) {
      return `deployment parameter ${name} is not a valid option`
    }
  }
  return undefined
}

/** The yaml.Deployment JSON: empty fields omitted, `template` always present. */
export function deploymentConfigJson(config: DeploymentConfig | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  if (config?.targets && config.targets.length > 0) out.targets = [...config.targets]
  const parameters = config?.parameters ?? {}
  if (Object.keys(parameters).length > 0) {
    const params: Record<string, Record<string, unknown>> = {}
    for (const [name, p] of Object.entries(parameters)) {
      const param: Record<string, unknown> = {}
      if (p.description) param.description = p.description
      if (p.type) param.type = p.type
      if (p.required) param.required = true
      if (p.options && p.options.length > 0) param.options = [...p.options]
      if (p.min) param.min = p.min
      if (p.max) param.max = p.max
      params[name] = param
    }
    out.parameters = sortedMap(params)
  }
  out.template = {}
  return out
}
