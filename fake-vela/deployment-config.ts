// The pipeline `deployment:` block: validation on create (§1.4) and its JSON for GET …/config (§3.1).
import type { DeploymentConfig } from './types.js'
import { isGoBool, parseInt64, sortedMap } from './go.js'

/** Deployment.Validate(target, payload): undefined when valid, else the reason. */
export function validateDeployment(
  config: DeploymentConfig | undefined,
  target: string,
  payload: Record<string, string>,
): string | undefined {
  const targets = config?.targets ?? []
  const parameters = Object.entries(config?.parameters ?? {})
  // Skipped entirely when targets and parameters are both empty.
  if (targets.length === 0 && parameters.length === 0) return undefined

  // targets: exact, case-sensitive; a left-out target is "" and fails.
  if (targets.length > 0 && !targets.includes(target)) {
    return `deployment target \`${target}\` not found in deployment config targets`
  }

  // parameter keys compare case-insensitively (v0.26.2); undeclared parameters are allowed.
  const input = new Map<string, string>()
  for (const [key, value] of Object.entries(payload)) input.set(key.toLowerCase(), value)

  // The server walks a Go map (random order); the fake uses the config's order.
  for (const [name, param] of parameters) {
    const value = input.get(name.toLowerCase())
    if (value === undefined) {
      if (param.required) return `deployment parameter ${name} is required`
      continue // "" counts as provided
    }
    // options and type are checked only for non-empty values
    if (param.options && param.options.length > 0 && value.length > 0 && !param.options.includes(value)) {
      return `deployment parameter ${name} is not a valid option`
    }
    if (!param.type || value.length === 0) continue
    switch (param.type) {
      case 'integer':
      case 'int':
      case 'number': {
        const parsed = parseInt64(value)
        if ('error' in parsed) return `deployment parameter ${name} is not an integer`
        // min/max only when max != 0 (a config with only min is never enforced)
        const min = BigInt(Math.trunc(param.min ?? 0))
        const max = BigInt(Math.trunc(param.max ?? 0))
        if (max !== 0n && parsed.value < min)
          return `deployment parameter ${name} is less than the minimum value`
        if (max !== 0n && parsed.value > max)
          return `deployment parameter ${name} is greater than the maximum value`
        break
      }
      case 'boolean':
      case 'bool':
        if (!isGoBool(value)) return `deployment parameter ${name} is not a boolean`
        break
      default:
        break // any other type, string included, is not checked
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
