// Runs a real go-vela/server binary (built by whoever runs the suite, from Vela's own source) against this
// machine's PostgreSQL and Redis, with the GitHub and worker stand-ins in place of GitHub and a worker:
// the settings each release needs, a user, and repositories enabled as a Vela user enables them.
import { spawn, type ChildProcess } from 'node:child_process'
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startGitHubStandIn, type GitHubRepoOptions, type GitHubStandIn } from '../github-standin/index.js'
import { WorkerStandIn } from '../worker-standin/index.js'
import { callVela } from './play.js'
import { RELEASES, type Release } from './scenarios.js'
import { createDatabase, flushRedis, redisAddress } from './services.js'

const CLIENT_ID = 'vela-client-id'
const START_TIMEOUT_MS = 60_000

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => {
        resolve(port)
      })
    })
  })
}

/** The queue's ed25519 keys as Vela reads them: the private key is seed and public key, 64 bytes. */
function queueKeys(): { privateKey: string; publicKey: string } {
  const jwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' })
  const seed = Buffer.from(jwk.d ?? '', 'base64url')
  const pub = Buffer.from(jwk.x ?? '', 'base64url')
  return {
    privateKey: Buffer.concat([seed, pub]).toString('base64'),
    publicKey: pub.toString('base64'),
  }
}

function settings(address: string, database: string, scm: string): Record<string, string> {
  const keys = queueKeys()
  return {
    VELA_ADDR: address,
    VELA_SERVER_PRIVATE_KEY: randomBytes(32).toString('hex'),
    VELA_SECRET: randomBytes(16).toString('hex'),
    VELA_DATABASE_DRIVER: 'postgres',
    VELA_DATABASE_ADDR: database,
    VELA_DATABASE_ENCRYPTION_KEY: randomBytes(16).toString('hex'),
    VELA_QUEUE_DRIVER: 'redis',
    VELA_QUEUE_ADDR: redisAddress(),
    VELA_QUEUE_PRIVATE_KEY: keys.privateKey,
    VELA_QUEUE_PUBLIC_KEY: keys.publicKey,
    // v0.28 keeps GitHub's tokens in a cache; older releases ignore these.
    VELA_CACHE_DRIVER: 'redis',
    VELA_CACHE_ADDR: redisAddress(),
    VELA_CACHE_INSTALL_TOKEN_KEY: randomBytes(32).toString('hex'),
    VELA_SCM_DRIVER: 'github',
    VELA_SCM_ADDR: scm,
    VELA_SCM_CLIENT: CLIENT_ID,
    VELA_SCM_SECRET: 'vela-client-secret',
    VELA_REPO_ALLOWLIST: '*',
    VELA_DEFAULT_REPO_EVENTS: 'push,deployment',
    VELA_ENABLE_SECURE_COOKIE: 'false',
    VELA_USER_ACCESS_TOKEN_DURATION: '8h',
    VELA_USER_REFRESH_TOKEN_DURATION: '24h',
    VELA_LOG_LEVEL: 'debug',
    VELA_WEBUI_ADDR: 'http://vela-ui.test',
  }
}

type Cleanup = () => Promise<void> | void

/** Undoes what was set up, last first. */
async function cleanUp(cleanups: Cleanup[]): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
}

export class RealVela {
  private constructor(
    readonly url: string,
    readonly release: Release,
    readonly github: GitHubStandIn,
    readonly worker: WorkerStandIn,
    private readonly logFile: string,
    private readonly cleanups: Cleanup[],
  ) {}

  /**
   * Starts everything for the binary of `release` (see releaseOf); `owner` is the Vela user who owns the
   * repositories (and the worker's reader).
   */
  static async start(
    bin: string,
    release: Release,
    owner: string,
  ): Promise<{ vela: RealVela; ownerToken: string }> {
    const cleanups: Cleanup[] = []
    try {
      await flushRedis()
      cleanups.push(flushRedis)
      const github = await startGitHubStandIn(CLIENT_ID)
      cleanups.push(() => github.close())
      const port = await freePort()
      const address = `http://127.0.0.1:${port}`
      const database = await createDatabase(release)
      cleanups.push(database.drop)
      const env = settings(address, database.url, github.url)
      const dir = mkdtempSync(join(tmpdir(), 'vela-server-'))
      cleanups.push(() => {
        rmSync(dir, { recursive: true, force: true })
      })
      const logFile = join(dir, 'server.log')
      const log = createWriteStream(logFile)
      // An empty working directory: the server reads a .env file from where it starts.
      const child = spawn(bin, [], {
        cwd: dir,
        env: { PATH: process.env.PATH, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      child.stdout.pipe(log)
      child.stderr.pipe(log)
      const exited = new Promise<void>((resolve) =>
        child.once('exit', () => {
          resolve()
        }),
      )
      cleanups.push(async () => {
        // The server shuts down gracefully on SIGTERM, but v0.22 then waits for its scheduler's next round.
        child.kill('SIGTERM')
        const stopped = await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)])
        if (!stopped) child.kill('SIGKILL')
        await exited
      })
      await waitForHealth(address, child, logFile)

      let ownerToken = ''
      const worker = new WorkerStandIn({
        server: address,
        secret: env.VELA_SECRET ?? '',
        readToken: () => ownerToken,
      })
      await worker.listen()
      cleanups.push(() => worker.close())
      const vela = new RealVela(address, release, github, worker, logFile, cleanups)
      ownerToken = await vela.login(owner)
      await worker.register()
      worker.start()
      return { vela, ownerToken }
    } catch (error) {
      await cleanUp(cleanups)
      throw error
    }
  }

  /** Signs the user in as Vela's web UI does (OAuth through GitHub); answers their Vela access token. */
  async login(login: string): Promise<string> {
    this.github.addUser(login)
    const response = await fetch(`${this.url}/authenticate?code=${login}&state=suite`)
    const body = (await response.json()) as { token?: string }
    if (!response.ok || !body.token)
      throw new Error(`login of ${login}: ${response.status} ${JSON.stringify(body)}`)
    return body.token
  }

  /** Creates the repository on GitHub and enables it in Vela with the owner's token. */
  async enableRepo(token: string, org: string, name: string, repo: GitHubRepoOptions): Promise<void> {
    this.github.addRepo(org, name, repo)
    const body =
      this.release === 'v0.22.2'
        ? { org, name, allow_push: true, allow_deploy: true }
        : { org, name, allow_events: { push: { branch: true }, deployment: { created: true } } }
    await this.api('POST', '/api/v1/repos', token, body)
  }

  /** A Vela API call the suite makes itself (not the action's). */
  api(method: string, path: string, token: string, body?: unknown): Promise<unknown> {
    return callVela(this.url, token, method, path, body)
  }

  /** The server's own log, to show when something fails. */
  serverLog(): string {
    return readFileSync(this.logFile, 'utf8')
  }

  async stop(): Promise<void> {
    await cleanUp(this.cleanups)
  }
}

/** Which release the binary is: it prints its version with --version. */
export async function releaseOf(bin: string): Promise<Release> {
  const text = await new Promise<string>((resolve, reject) => {
    const child = spawn(bin, ['--version'], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.on('error', reject)
    child.on('close', () => {
      resolve(out)
    })
  })
  const named = process.env.VELA_SERVER_RELEASE ?? /v\d+\.\d+\.\d+/.exec(text)?.[0]
  const release = RELEASES.find((r) => r === named)
  if (!release) {
    throw new Error(
      `${bin} reports release ${named ?? '(none)'}; the suite knows ${RELEASES.join(', ')} (set VELA_SERVER_RELEASE when the binary was built without its tag)`,
    )
  }
  return release
}

/** Vela v0.25 and later wait 5–15 s before they listen. */
async function waitForHealth(address: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(
        `the Vela server exited with ${child.exitCode}:\n${readFileSync(logFile, 'utf8').slice(-4000)}`,
      )
    }
    try {
      const response = await fetch(`${address}/health`)
      if (response.ok) return
    } catch {
      // not listening yet
    }
    await sleep(250)
  }
  throw new Error(`the Vela server did not answer /health within ${START_TIMEOUT_MS / 1000} s`)
}
