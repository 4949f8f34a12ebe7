// Presenters in the shapes of the Hugging Face Papers API, so clients written for it (for example
// huggingface_hub's PaperInfo) read Paperboy's answers unchanged.
import type { PaperCard } from "../../papers/cards.ts";
import type { PaperHighlights, Span } from "../../search/highlight.ts";

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** Text with its matched spans wrapped in <mark>, everything else escaped. */
export function markSpans(text: string, spans: Span[]): string {
  let out = "";
  let at = 0;
  for (const s of [...spans].sort((a, b) => a.start - b.start)) {
    if (s.start < at) continue;
    out += `${escapeHtml(text.slice(at, s.start))}<mark>${escapeHtml(text.slice(s.start, s.end))}</mark>`;
    at = s.end;
  }
  return out + escapeHtml(text.slice(at));
}

/** The `paper` object of the HF API. */
export function hfPaper(card: PaperCard) {
  return {
    id: card.arxivId,
    title: card.title,
    summary: card.abstract,
    authors: card.authors.map((name) => ({ name })),
    publishedAt: card.submittedAt ?? (card.date ? `${card.date}T00:00:00.000Z` : null),
    upvotes: card.upvotes,
    githubRepo: card.links.code,
    githubStars: card.codeStars,
    projectPage: card.links.project,
  };
}

/** One item of `/api/papers/search`: the paper, and its title and summary with matches marked. */
export function hfPaperItem(card: PaperCard, highlights?: PaperHighlights) {
  const paper = hfPaper(card);
  return {
    paper,
    title: paper.title,
    summary: paper.summary,
    publishedAt: paper.publishedAt,
    numComments: card.numComments,
    ...(highlights
      ? {
          highlightedTitle: markSpans(card.title, highlights.title),
          highlightedSummary: markSpans(card.abstract, highlights.abstract),
        }
      : {}),
  };
}
