// The entry the runner executes (through the dist/ bundle).
import { run } from './main.js'

await run()
