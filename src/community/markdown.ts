// Comment Markdown to HTML, safe to put on a page as is. markdown-it with raw HTML off (shown as
// text), links only to http(s) and mailto with rel="nofollow ugc noopener", images shown as links
// (no external requests from readers' browsers), no headings (a comment is not a document), and
// LaTeX between $...$ or $$...$$ kept verbatim as text so emphasis never eats its underscores.

import type { StateInline } from "markdown-it";
import MarkdownIt from "markdown-it";

/** Every link in a comment is user content: no ranking credit, no opener access. */
export const COMMENT_LINK_REL = "nofollow ugc noopener";

const SAFE_LINK = /^(?:https?:\/\/|mailto:)/i;

/** Only absolute http(s) and mailto targets become links; anything else stays text. */
export function isSafeLink(url: string): boolean {
  return SAFE_LINK.test(url.trim());
}

const md = new MarkdownIt("default", { html: false, linkify: true, typographer: false, breaks: true });
md.validateLink = isSafeLink;
// Headings would dwarf the page's own; "# x" and "x\n===" stay paragraphs.
md.disable(["heading", "lheading"]);

const escapeHtml = md.utils.escapeHtml;

// Links (written, autolinked and linkified alike) carry the rel of user content.
md.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
  tokens[idx]?.attrSet("rel", COMMENT_LINK_REL);
  return self.renderToken(tokens, idx, options);
};

// An image becomes a link to it, labelled with its alt text: nothing loads unless the reader clicks.
md.renderer.rules.image = (tokens, idx, options, env, self) => {
  const token = tokens[idx];
  const src = String(token?.attrGet("src") ?? "");
  const alt = self.renderInlineAsText(token?.children ?? [], options, env).trim();
  return `<a href="${escapeHtml(src)}" rel="${COMMENT_LINK_REL}" class="md-image">image: ${escapeHtml(alt || src)}</a>`;
};

/**
 * Inline rule: `$...$` and `$$...$$` spans become one text token, so `$a_1 + b_1$` keeps its
 * underscores and backslashes. Like pandoc, an opening `$` must not be followed by a space and a
 * closing one must not be preceded by one or followed by a digit, so "$5 and $10" stays prose.
 */
function mathText(state: StateInline, silent: boolean): boolean {
  const src = state.src;
  const start = state.pos;
  if (src.charCodeAt(start) !== 0x24 /* $ */) return false;
  const delim = src.startsWith("$$", start) ? "$$" : "$";
  const from = start + delim.length;
  if (from >= state.posMax || /\s/.test(src[from] ?? "")) return false;
  let end = from;
  for (;;) {
    end = src.indexOf(delim, end);
    if (end < 0 || end >= state.posMax) return false;
    if (src[end - 1] === "\\") {
      end += 1;
      continue;
    }
    if (delim === "$" && (/\s/.test(src[end - 1] ?? "") || /\d/.test(src[end + 1] ?? ""))) {
      end += 1;
      continue;
    }
    break;
  }
  if (end === from) return false;
  if (!silent) {
    const token = state.push("text", "", 0);
    token.content = src.slice(start, end + delim.length);
  }
  state.pos = end + delim.length;
  return true;
}
md.inline.ruler.before("escape", "math_text", mathText);

/** The HTML of a comment body (Markdown source). */
export function renderCommentMarkdown(source: string): string {
  return md.render(source);
}
