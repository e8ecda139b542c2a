import type { Dispatcher } from 'undici'
import { safeInline } from '../shared/safe-text.js'
import { BadResponseError, CancelledError, NotVelaApiError, VelaHttpError } from './errors.js'
import { deadlinePassed, toNetworkError, type FailedRequest } from './network-errors.js'
import type { Connections } from './proxy.js'
import { prepareRequest, type PreparedRequest, type VelaRequest } from './request.js'
import {
  headerValue,
  isWebPage,
  parseBody,
  readCapped,
  type BodyText,
  retryAfterMs,
  serverMessage,
  summarizeBody,
} from './response-body.js'

export interface VelaResponse {
  status: number
  /** The parsed JSON body. */
  body: unknown
  /** The body as received, for outputs that hand it on unchanged. */
  text: string
  /**
   * With `keepTail`, set when the body was over the response cap: `text` is its end only, and `body` is
   * not parsed.
   */
  cutAtStart?: boolean
}

/** What came back, read whole (or its end): status, headers and the body as text. */
interface Answer extends BodyText {
  status: number
  headers: Dispatcher.ResponseData['headers']
}

/** Sends requests to one Vela server over the run's connections. */
export class VelaHttp {
  constructor(
    readonly server: string,
    private readonly connections: Connections,
  ) {}

  /** The request exactly as `send` would put it on the wire. */
  prepare(req: Omit<VelaRequest, 'timeoutMs' | 'signal' | 'onWritten'>): PreparedRequest {
    return prepareRequest(this.server, req)
  }

  /**
   * Sends one request. No retries here: callers decide, because a create must never be sent twice. It ends
   * by its deadline or the caller's signal whatever undici does: undici 7 does not always end it (a request
   * waiting for a tunnel ignores its signal).
   */
  async send(req: VelaRequest): Promise<VelaResponse> {
    const prepared = this.prepare(req)
    const route = this.connections.route(prepared.url)
    const timeout = AbortSignal.timeout(req.timeoutMs)
    const signal = req.signal ? AbortSignal.any([timeout, req.signal]) : timeout
    const request: FailedRequest = {
      method: req.method,
      url: prepared.url,
      proxy: route.proxy,
      written: false,
    }
    const dispatcher = route.dispatcher.compose(
      whenWritten(() => {
        request.written = true
        req.onWritten?.()
      }),
    )
    let answer: Answer
    try {
      answer = await endedBy(signal, exchange(dispatcher, prepared, signal, req.keepTail))
    } catch (error) {
      if (error instanceof BadResponseError) throw error
      if (req.signal?.aborted && !timeout.aborted) throw new CancelledError('cancelled', { cause: error })
      if (timeout.aborted) throw deadlinePassed(request, req.timeoutMs, error)
      throw toNetworkError(error, request)
    }
    return interpret(answer, prepared)
  }
}

/** Sends the request and reads the whole answer. */
async function exchange(
  dispatcher: Dispatcher,
  { method, url, headers, body }: PreparedRequest,
  signal: AbortSignal,
  keepTail: boolean | undefined,
): Promise<Answer> {
  const response = await dispatcher.request({
    origin: url.origin,
    path: `${url.pathname}${url.search}`,
    method,
    headers,
    body,
    signal,
  })
  const read = await readCapped(response, `${method} ${url.pathname}`, keepTail)
  return { status: response.statusCode, headers: response.headers, ...read }
}

/** Settles with `work`, or rejects when `signal` fires first; `work` may go on, and its end is ignored. */
function endedBy<T>(signal: AbortSignal, work: Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const abort = () => {
      reject(signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason)))
    }
    if (signal.aborted) abort()
    signal.addEventListener('abort', abort, { once: true })
    work.then(resolve, reject).finally(() => {
      signal.removeEventListener('abort', abort)
    })
  })
}

/**
 * Tells when undici hands the request to a connection, just before writing it (`onRequestStart`): a
 * request that fails before then provably never left, whatever the error.
 */
function whenWritten(written: () => void): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (options, handler) =>
    dispatch(options, {
      onRequestStart: (controller, context) => {
        written()
        handler.onRequestStart?.(controller, context)
      },
      onRequestUpgrade: (controller, statusCode, headers, socket) => {
        handler.onRequestUpgrade?.(controller, statusCode, headers, socket)
      },
      onResponseStart: (controller, statusCode, headers, statusMessage) => {
        handler.onResponseStart?.(controller, statusCode, headers, statusMessage)
      },
      onResponseData: (controller, chunk) => {
        handler.onResponseData?.(controller, chunk)
      },
      onResponseEnd: (controller, trailers) => {
        handler.onResponseEnd?.(controller, trailers)
      },
      onResponseError: (controller, error) => {
        handler.onResponseError?.(controller, error)
      },
    })
}

/** Turns an answer into the parsed body, or the error it stands for. */
function interpret(answer: Answer, { method, url }: PreparedRequest): VelaResponse {
  const { status, headers, text } = answer
  const describe = `${method} ${url.pathname}`
  // Only the end of the body is here: the caller reads what it can of it.
  if (answer.cutAtStart && status >= 200 && status < 300)
    return { status, body: undefined, text, cutAtStart: true }
  if (status >= 300 && status < 400) {
    const location = headerValue(headers, 'location')
    throw new BadResponseError(
      'redirect',
      `${describe} answered ${status} redirecting to ${location ? safeInline(location) : 'an unnamed address'}; redirects are not followed so the token never leaves the configured server`,
      status,
    )
  }
  const parsed = parseBody(text)
  const contentType = headerValue(headers, 'content-type')
  const webPage = parsed === undefined && isWebPage(contentType, text)
  if (status < 200 || status >= 300) {
    const message = serverMessage(parsed)
    throw new VelaHttpError({
      method,
      path: url.pathname,
      status,
      serverMessage: message,
      bodySummary: message === undefined ? summarizeBody(status, contentType, text) : undefined,
      webPage,
      retryAfterMs: retryAfterMs(headerValue(headers, 'retry-after')),
    })
  }
  if (webPage)
    throw new NotVelaApiError(method, url.pathname, status, summarizeBody(status, contentType, text))
  if (parsed === undefined) {
    throw new BadResponseError(
      'malformed',
      `${describe} answered ${status} with a body that is not JSON (${summarizeBody(status, contentType, text)})`,
      status,
    )
  }
  return { status, body: parsed, text }
}
