import { micromark } from 'micromark'
import { gfm, gfmHtml } from 'micromark-extension-gfm'

// The job summary as GitHub shows it: GitHub renders GITHUB_STEP_SUMMARY as GitHub Flavored Markdown
// (cmark-gfm), raw HTML allowed except the tags its tag filter disarms. micromark follows the same
// CommonMark and GFM specifications, so a value that breaks out of its HTML block, or Markdown that turns
// into links or emphasis, shows up here as it would on GitHub. Used by the tests and `npm run screenshots`.

/** Renders Markdown (with raw HTML) to HTML the way GitHub renders a job summary. */
export function renderAsGitHub(markdown: string): string {
  return micromark(markdown, {
    allowDangerousHtml: true,
    extensions: [gfm()],
    htmlExtensions: [gfmHtml()],
  })
}
