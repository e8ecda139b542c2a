// HS256 tokens as Vela mints and parses them (§2.1, §2.4): internal/token with golang-jwt v5.
import { createHmac } from 'node:crypto'

export interface VelaClaims {
  sub?: string
  token_type?: string
  is_admin?: boolean
  is_active?: boolean
  iat?: number
  exp?: number
  [claim: string]: unknown
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url')
const sign = (signingInput: string, secret: Buffer) =>
  b64url(createHmac('sha256', secret).update(signingInput).digest())

export function signJwt(claims: VelaClaims, secret: Buffer): string {
  const signingInput = `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}`
  return `${signingInput}.${sign(signingInput, secret)}`
}

/**
 * Verifies a token like Vela's token.Manager.ParseToken, for the failures a client meets: not a token at all,
 * another server's signature, expiry. Errors are the message the server sends.
 */
export function parseJwt(
  token: string,
  secret: Buffer,
  nowSeconds: number,
): { claims: VelaClaims } | { error: string } {
  const failed = (text: string) => ({ error: `failed parsing: ${text}` })
  const [header, claims, signature, ...rest] = token.split('.')
  if (claims === undefined || signature === undefined || rest.length > 0)
    return failed('token is malformed: token contains an invalid number of segments')
  if (signature !== sign(`${header}.${claims}`, secret))
    return failed('token signature is invalid: signature is invalid')
  // Signed here, so the claims are ours.
  const parsed = JSON.parse(Buffer.from(claims, 'base64url').toString('utf8')) as VelaClaims
  if (typeof parsed.exp !== 'number' || !(nowSeconds < parsed.exp))
    return failed('token has invalid claims: token is expired')
  return { claims: parsed }
}
