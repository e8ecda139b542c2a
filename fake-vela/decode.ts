// Reading a create-deployment body the way the server does (§1.2): gin's c.Bind → encoding/json into
// api/types.Deployment, with `payload` as raw.StringSliceMap. Only the forms a client sends are modelled;
// anything else is refused as Vela would refuse it, without Go's exact reason.

/** The request fields the handler uses (§1.2); everything else is overwritten or ignored. */
export interface DeploymentInput {
  ref?: string
  target?: string
  task?: string
  description?: string
  /** undefined when left out or null (§1.2: "payload stays nil"). */
  payload?: Record<string, string>
}

const STRING_FIELDS = ['ref', 'target', 'task', 'description'] as const

const isMap = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** Errors carry the text after 'unable to decode JSON for new deployment for o/r: '. */
export function decodeDeploymentBody(text: string): { input: DeploymentInput } | { error: string } {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch (error) {
    return { error: (error as Error).message }
  }
  if (body === null) return { input: {} }
  if (!isMap(body)) return { error: 'json: cannot unmarshal into Go value of type types.Deployment' }
  const input: DeploymentInput = {}
  for (const field of STRING_FIELDS) {
    const value = body[field]
    if (typeof value === 'string') input[field] = value
    else if (value != null)
      return { error: `json: cannot unmarshal into Go struct field Deployment.${field} of type string` }
  }
  const payload = body.payload
  if (payload == null) return { input }
  // A map of strings; null values become "".
  if (!isMap(payload) || Object.values(payload).some((v) => v !== null && typeof v !== 'string'))
    return { error: 'unable to unmarshal into StringSliceMap' }
  input.payload = Object.fromEntries(Object.entries(payload).map(([k, v]) => [k, (v as string | null) ?? '']))
  return { input }
}
