import { escapeHtml } from '../shared/safe-text.js'

/**
 * How large the job summary may grow. GitHub drops a step's summary over 1 MiB whole, heading and result
 * included, so the action keeps its own well under that, whatever the server sends.
 */
export const SUMMARY_MAX_BYTES = 256 * 1024
/** Kept free for the short notes that say what was left out, so they always fit. */
const NOTES_BYTES = 4 * 1024
/** Between blocks: a blank line, so each is its own HTML block. */
export const BLOCK_SEPARATOR = '\n\n'

const size = (html: string) => Buffer.byteLength(html, 'utf8') + BLOCK_SEPARATOR.length

/** The room left in the summary as its blocks are put in, the important ones first. */
export class SummaryBudget {
  private used = 0

  constructor(private readonly maxBytes = SUMMARY_MAX_BYTES) {}

  /** Bytes a block may still take, the notes' room aside. */
  get left(): number {
    return Math.max(0, this.maxBytes - NOTES_BYTES - this.used)
  }

  /** Whether a block fits in what is left. */
  fits(html: string): boolean {
    return size(html) <= this.left
  }

  /** Takes a block that is shown whatever its size: the heading and the result, or a short note. */
  keep(html: string): string {
    this.used += size(html)
    return html
  }

  /** The block if it fits, else a note saying that `what` was left out. */
  fit(html: string, what: string): string {
    return this.fits(html) ? this.keep(html) : this.keep(leftOut(what))
  }
}

/** A note in place of something that did not fit. */
export function leftOut(what: string): string {
  return `<p>${escapeHtml(`${what} left out of this summary to keep it small; see the job log.`)}</p>`
}
