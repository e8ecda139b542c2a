import { describe, expect, it } from '@jest/globals'
import { InputError } from '../src/shared/errors.js'
import { NetworkError } from '../src/vela/errors.js'

describe('errors', () => {
  it('names the input in the message', () => {
    const err = new InputError('wait-timeout', 'expected a duration such as 90s, 15m or 1h30m')
    expect(err.message).toBe("Input 'wait-timeout': expected a duration such as 90s, 15m or 1h30m")
    expect(err.code).toBe('INPUT_INVALID')
  })

  it('tells which network failures never reached the server', () => {
    expect(new NetworkError('connection-refused', 'x').requestNotSent).toBe(true)
    expect(new NetworkError('dns', 'x').requestNotSent).toBe(true)
    expect(new NetworkError('timeout', 'x').requestNotSent).toBe(false)
    expect(new NetworkError('connection-reset', 'x').requestNotSent).toBe(false)
  })
})
