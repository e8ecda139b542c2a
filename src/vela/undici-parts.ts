// The parts of undici the client uses, imported by file. undici's index loads all of undici at start-up (fetch,
// WebSocket, EventSource, caches, mocks), which was a third of the action's cold start; these files load the
// HTTP/1.1 client, its pools and the proxy agent only. No alias is involved: ncc, jest and tsx resolve these
// paths the same way (types: undici-lib.d.ts), and any dependency importing 'undici' still gets all of it.
// undici is pinned; a moved file fails the build and the tests, not a run (CONTRIBUTING, Performance).
import type * as Undici from 'undici'
import dispatcherApi from 'undici/lib/api/index.js'
import AgentClass from 'undici/lib/dispatcher/agent.js'
import DispatcherClass from 'undici/lib/dispatcher/dispatcher.js'
import PoolClass from 'undici/lib/dispatcher/pool.js'
import ProxyAgentClass from 'undici/lib/dispatcher/proxy-agent.js'

// What undici's index does first: every dispatcher gets request(), connect() and the rest. The proxy agent
// itself calls connect() on its client.
Object.assign(DispatcherClass.prototype, dispatcherApi)

export const Agent: typeof Undici.Agent = AgentClass
export const Pool: typeof Undici.Pool = PoolClass
export const ProxyAgent: typeof Undici.ProxyAgent = ProxyAgentClass
