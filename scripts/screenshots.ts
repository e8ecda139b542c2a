// Takes the README's pictures of a real run: the job summary after a deploy that succeeds and one that
// fails, rendered as GitHub renders it (GFM, GitHub's Markdown styles), and an excerpt of the log as the
// runner's log viewer shows it. Needs Chromium and an emoji font (on Debian: apt-get install chromium
// fonts-noto-color-emoji); CI does not run it.
// Run it again whenever the summary or the log changes.
//
//   npm run screenshots          writes docs/summary-success.png, docs/summary-failure.png, docs/log.png
//   CHROMIUM=/path/to/chrome npm run screenshots

import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { ROOT } from '../fake-runner/run-action.js'
import { LOG_STYLE, logHtml, readRunnerLog, summaryPage } from '../fake-runner/runner-view.js'
import { runDemo } from './demo-run.js'

const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium'

const [success, failure] = [await runDemo({ failing: false }), await runDemo({ failing: true })]
// The stand-in listens on a random port; the pictures should not change with it.
const steady = (text: string, server: string) => text.split(server).join('http://vela.internal')

const logPage = `<!doctype html><html><head><meta charset="utf-8"><style>${LOG_STYLE}</style></head>
<body><div class="log">${logHtml(readRunnerLog(failure.run.stdout), { expand: true })}</div></body></html>`

const browser = await chromium.launch({
  executablePath,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
})
try {
  const page = await browser.newPage({ viewport: { width: 960, height: 400 }, deviceScaleFactor: 1 })
  const shots: Array<[string, string, string]> = [
    ['summary-success.png', summaryPage(steady(success.run.summary, success.server)), '.box'],
    ['summary-failure.png', summaryPage(steady(failure.run.summary, failure.server)), '.box'],
    ['log.png', steady(logPage, failure.server), '.log'],
  ]
  for (const [file, html, selector] of shots) {
    await page.setContent(html, { waitUntil: 'load' })
    const path = join(ROOT, 'docs', file)
    await page.locator(selector).screenshot({ path })
    console.log(`wrote ${path}`)
  }
} finally {
  await browser.close()
}
