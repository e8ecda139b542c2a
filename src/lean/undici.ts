// The parts of undici this action and @actions/http-client use, loaded without undici's index, which also
// loads fetch, WebSocket, caches and mocks. The bare 'undici' maps here for the bundle (tsconfig "paths",
// which ncc applies to dependencies too) and for the tests (jest moduleNameMapper), so there is one undici
// and only this much of it.
import api from 'undici/lib/api/index.js'
import DispatcherBase from 'undici/lib/dispatcher/dispatcher.js'
import EnvHttpProxyAgent from 'undici/lib/dispatcher/env-http-proxy-agent.js'
import ProxyAgent from 'undici/lib/dispatcher/proxy-agent.js'
import type { Dispatcher } from 'undici/types/index.js'

// What undici's index does: every dispatcher gets request(), connect() and the rest. ProxyAgent's CONNECT
// tunnel relies on connect().
Object.assign(DispatcherBase.prototype, api)

export { EnvHttpProxyAgent, ProxyAgent }
export type { Dispatcher }

export function request(
  dispatcher: Dispatcher,
  options: Dispatcher.RequestOptions,
): Promise<Dispatcher.ResponseData> {
  return dispatcher.request(options)
}
