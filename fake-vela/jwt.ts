// HS256 tokens as Vela mints and parses them (§2.1, §2.4): internal/token with golang-jwt v5.
import { createHmac, timingSafeEqual } from 'node:crypto'

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

export function signJwt(claims: VelaClaims, secret: Buffer): string {
  const signingInput = `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}`
  return `${signingInput}.${b64url(createHmac('sha256', secret).update(signingInput).digest())}`
}

/** base64.RawURLEncoding.DecodeString, with Go's "illegal base64 data at input byte N" error. */
function decodeSegment(segment: string): Buffer | string {
  const bad = segment.search(/[^A-Za-z0-9_-]/)
  if (bad >= 0) return `illegal base64 data at input byte ${bad}`
  if (segment.length % 4 === 1) return `illegal base64 data at input byte ${segment.length - 1}`
  return Buffer.from(segment, 'base64url')
}

const KNOWN_ALGS = [
  'HS256',
  'HS384',
  'HS512',
  'RS256',
  'RS384',
  'RS512',
  'ES256',
  'ES384',
  'ES512',
  'PS256',
  'PS384',
  'PS512',
  'EdDSA',
  'none',
]

/**
 * Parses and verifies a token like Vela's token.Manager.ParseToken. Errors are the message the server sends,
 * 'failed parsing: ' + golang-jwt's text.
 */
export function parseJwt(
  token: string,
  secret: Buffer,
  nowSeconds: number,
): { claims: VelaClaims } | { error: string } {
  const failed = (text: string) => ({ error: `failed parsing: ${text}` })
  const parts = token.split('.')
  if (parts.length !== 3) return failed('token is malformed: token contains an invalid number of segments')
  const [headerPart, claimsPart, signaturePart] = parts as [string, string, string]

  const headerBytes = decodeSegment(headerPart)
  if (typeof headerBytes === 'string')
    return failed(`token is malformed: could not base64 decode header: ${headerBytes}`)
  let header: unknown
  try {
    header = JSON.parse(headerBytes.toString('utf8'))
  } catch {
    return failed(
      'token is malformed: could not JSON decode header: invalid character looking for beginning of value',
    )
  }
  const claimBytes = decodeSegment(claimsPart)
  if (typeof claimBytes === 'string')
    return failed(`token is malformed: could not base64 decode claim: ${claimBytes}`)
  let claims: unknown
  try {
    claims = JSON.parse(claimBytes.toString('utf8'))
  } catch {
    return failed(
      'token is malformed: could not JSON decode claim: invalid character looking for beginning of value',
    )
  }
  if (
    typeof header !== 'object' ||
    header === null ||
    typeof claims !== 'object' ||
    claims === null ||
    Array.isArray(claims)
  ) {
    return failed(
      'token is malformed: could not JSON decode claim: json: cannot unmarshal into Go value of type token.Claims',
    )
  }
  const alg = (header as Record<string, unknown>).alg
  if (typeof alg !== 'string') return failed('token is unverifiable: signing method (alg) is unspecified')
  if (!KNOWN_ALGS.includes(alg)) return failed('token is unverifiable: signing method (alg) is unavailable')
  const signature = decodeSegment(signaturePart)
  if (typeof signature === 'string')
    return failed(`token is malformed: could not base64 decode signature: ${signature}`)
  if (alg !== 'HS256') return failed(`token signature is invalid: signing method ${alg} is invalid`)

  // Vela's key function requires sub and exp before the signature is checked.
  const c = claims as VelaClaims
  if (typeof c.sub !== 'string' || c.sub.length === 0) {
    return failed('token is unverifiable: error while executing keyfunc: no subject defined')
  }
  if ((claims as Record<string, unknown>).exp == null) {
    return failed('token is unverifiable: error while executing keyfunc: token has no expiration')
  }

  const expected = createHmac('sha256', secret).update(`${headerPart}.${claimsPart}`).digest()
  if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) {
    return failed('token signature is invalid: signature is invalid')
  }
  if (typeof c.exp !== 'number' || !(nowSeconds < c.exp))
    return failed('token has invalid claims: token is expired')
  return { claims: c }
}
