// The machine's PostgreSQL and Redis, as a real Vela server needs them: a fresh database per run, a clean
// Redis database, both removed afterwards.
import { randomBytes } from 'node:crypto'
import { connect } from 'node:net'
import pg from 'pg'

export const POSTGRES_URL = process.env.VELA_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/postgres'
export const REDIS_ADDR = process.env.VELA_TEST_REDIS ?? 'redis://127.0.0.1:6379'
/** The Redis database the suite gives Vela; it is emptied before and after each run. */
export const REDIS_DB = Number(process.env.VELA_TEST_REDIS_DB ?? '7')

async function postgres(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL })
  await client.connect()
  try {
    await client.query(sql)
  } finally {
    await client.end()
  }
}

/** A new, empty database; answers its address. */
export async function createDatabase(release: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `vela_${release.replace(/\W/g, '_')}_${randomBytes(4).toString('hex')}`
  await postgres(`CREATE DATABASE ${name}`)
  const url = new URL(POSTGRES_URL)
  url.pathname = `/${name}`
  url.searchParams.set('sslmode', 'disable')
  return { url: url.toString(), drop: () => postgres(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) }
}

/** Empties the suite's Redis database (SELECT, FLUSHDB), speaking Redis's protocol directly. */
export async function flushRedis(): Promise<void> {
  const { hostname, port } = new URL(REDIS_ADDR)
  const command = (...args: string[]) =>
    `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`
  await new Promise<void>((resolve, reject) => {
    const socket = connect(Number(port || 6379), hostname)
    let answer = ''
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => {
      answer += chunk
      if (answer.split('\r\n').length > 2) {
        socket.end()
        if (answer.startsWith('+OK\r\n+OK')) resolve()
        else reject(new Error(`Redis answered ${JSON.stringify(answer)}`))
      }
    })
    socket.on('error', reject)
    socket.write(command('SELECT', String(REDIS_DB)) + command('FLUSHDB'))
  })
}

export function redisAddress(): string {
  return `${REDIS_ADDR.replace(/\/+$/, '')}/${REDIS_DB}`
}
