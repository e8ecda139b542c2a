// Vela access tokens are JWTs. We read their claims (without verifying: only the server can) to tell
// a Vela token from a GitHub personal access token, to refuse an expired one before sending it, and to
// renew an exchanged one shortly before it expires.

interface VelaTokenClaims {
  sub?: string
  exp?: number
  /** When the server issued it, by the server's clock. */
  iat?: number
  token_type?: string
}

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/

export function looksLikeJwt(token: string): boolean {
  return JWT_SHAPE.test(token)
}

/** The claims of a JWT, or undefined when its middle part is not a base64url JSON object. */
export function readJwtClaims(token: string): VelaTokenClaims | undefined {
  const part = token.split('.')[1]
  if (part === undefined) return undefined
  try {
    const claims: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'))
    if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) return undefined
    const { sub, exp, iat, token_type } = claims as Record<string, unknown>
    return {
      sub: typeof sub === 'string' ? sub : undefined,
      exp: typeof exp === 'number' ? exp : undefined,
      iat: typeof iat === 'number' ? iat : undefined,
      token_type: typeof token_type === 'string' ? token_type : undefined,
    }
  } catch {
    return undefined
  }
}
