import { BadResponseError } from './errors.js'
import type { VelaResponse } from './http.js'
import { MAX_RESPONSE_BYTES } from './response-body.js'

/** A step's log as text, and whether only its end could be read. */
export interface StepLog {
  text: string
  /** The log was over the response cap: `text` is its end, from the first whole line. */
  cutAtStart: boolean
}

/** What of a log over the response cap is read: its end, this much of Vela's answer. */
export const LOG_TAIL_BYTES = MAX_RESPONSE_BYTES

/**
 * The end of a step's log from the end of Vela's answer, `{…,"data":"<base64>","created_at":…}`: the
 * base64 up to the quote that closes `data`, from a whole 4-character group (the string's groups end where it
 * does), decoded, from its first whole line. Most of an answer this large is the log, so a run of base64
 * shorter than half of what was read means something else answered.
 */
export function logTail(response: VelaResponse, describe: string): StepLog {
  const { text } = response
  const key = text.lastIndexOf('"data":"')
  const from = key < 0 ? 0 : key + '"data":"'.length
  const end = text.indexOf('"', from)
  const encoded = end < 0 ? '' : text.slice(from, end)
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded) || encoded.length < text.length / 2) {
    throw new BadResponseError(
      'malformed',
      `${describe} answered ${response.status} with more than ${LOG_TAIL_BYTES / 1024 / 1024} MiB that does not end as a log`,
      response.status,
    )
  }
  const decoded = Buffer.from(encoded.slice(encoded.length % 4), 'base64').toString('utf8')
  return { text: decoded.slice(decoded.indexOf('\n') + 1), cutAtStart: true }
}
