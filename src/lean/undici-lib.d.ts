// Types for the undici modules src/lean/undici.ts loads directly, taken from undici's own declarations.
// Each module is CommonJS: its module.exports is the one value declared here.

declare module 'undici/lib/api/index.js' {
  /** request(), stream(), pipeline(), upgrade() and connect(), as methods for Dispatcher.prototype. */
  const api: Record<string, unknown>
  export = api
}

declare module 'undici/lib/dispatcher/dispatcher.js' {
  import type { Dispatcher } from 'undici/types/index.js'
  const DispatcherClass: typeof Dispatcher
  export = DispatcherClass
}

declare module 'undici/lib/dispatcher/env-http-proxy-agent.js' {
  import type { EnvHttpProxyAgent } from 'undici/types/index.js'
  const EnvHttpProxyAgentClass: typeof EnvHttpProxyAgent
  export = EnvHttpProxyAgentClass
}

declare module 'undici/lib/dispatcher/proxy-agent.js' {
  import type { ProxyAgent } from 'undici/types/index.js'
  const ProxyAgentClass: typeof ProxyAgent
  export = ProxyAgentClass
}
