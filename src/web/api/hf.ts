// Presenters in the shapes of the Hugging Face Papers API, so clients written for it (for example
// huggingface_hub's PaperInfo, pointed here with HF_ENDPOINT) read Paperboy's answers unchanged.
//
// What huggingface_hub's PaperInfo reads (hf_api.py), and where:
// - from the `paper` object, else the top level: id, authors[].{name, user, status,
//   statusLastChangedAt, hidden}, publishedAt, summary, upvotes, discussionId;
// - from the top level only: title, source, numComments, publishedAt (again, as the daily
//   submission time) or submittedOnDailyAt, submittedBy or submittedOnDailyBy (a User: user,
//   fullname, avatarUrl, isPro, type, ...), ai_summary, ai_keywords, organization (avatarUrl, name,
//   fullname, ...), projectPage, githubRepo, githubStars.
// So a daily item repeats those top-level-only fields beside its `paper`, or the client would see
// None for them. Timestamps are ISO 8601 strings; what Paperboy does not know is null.
import type { PaperCard } from "../../papers/cards.ts";
import type { Featuring } from "../../papers/lists.ts";
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

/** An ISO 8601 timestamp (`2026-08-14T08:00:00.000Z`) from a stored timestamp or day, or null. */
export function isoTime(value: string | null | undefined): string | null {
  if (!value) return null;
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/**
 * A Hugging Face user overview for a submitter. Imported featurings know only a username, so the
 * full name is the username and there is no avatar; accounts will fill these in.
 */
export function hfUser(username: string | null | undefined) {
  if (!username) return null;
  return { user: username, name: username, fullname: username, avatarUrl: null, isPro: false, type: "user" as const };
}

/** A Hugging Face organization overview from the name a featuring carries. */
export function hfOrganization(name: string | null | undefined) {
  if (!name) return null;
  return { name, fullname: name, avatarUrl: null };
}

/** When the paper went on Daily Papers: the featuring's time, else its day, else the card's latest day. */
function featuredAt(card: PaperCard, featuring?: Featuring | null): string | null {
  return featuring ? isoTime(featuring.submittedAt ?? featuring.day) : isoTime(card.featuredOn);
}

/**
 * The `paper` object of the HF API (also the whole answer of `/api/papers/{id}`), for the
 * featuring shown (the latest one when listing a period) or none.
 */
export function hfPaper(card: PaperCard, featuring?: Featuring | null) {
  return {
    id: card.arxivId,
    authors: card.authors.map((name) => ({ name, hidden: false })),
    publishedAt: isoTime(card.submittedAt ?? card.date),
    submittedOnDailyAt: featuredAt(card, featuring),
    submittedOnDailyBy: hfUser(featuring?.submittedBy),
    title: card.title,
    summary: card.abstract,
    upvotes: card.upvotes,
    discussionId: null,
    projectPage: card.links.project,
    githubRepo: card.links.code,
    githubStars: card.codeStars,
    ai_summary: null,
    ai_keywords: null,
    organization: hfOrganization(featuring?.organization),
  };
}

/** One paper as `/api/papers/{id}` and `/api/papers` answer it: the paper object plus its comment count. */
export function hfPaperInfo(card: PaperCard, featuring?: Featuring | null) {
  return { ...hfPaper(card, featuring), numComments: card.numComments };
}

/**
 * One item of `/api/daily_papers` and `/api/papers/search`: the paper, the Daily Papers entry
 * around it (when and by whom it was submitted), and for search its title and summary with the
 * matches marked.
 */
export function hfPaperItem(card: PaperCard, highlights?: PaperHighlights, featuring?: Featuring | null) {
  const paper = hfPaper(card, featuring);
  return {
    paper,
    publishedAt: paper.submittedOnDailyAt,
    title: paper.title,
    summary: paper.summary,
    thumbnail: null,
    mediaUrls: [] as string[],
    numComments: card.numComments,
    submittedBy: paper.submittedOnDailyBy,
    organization: paper.organization,
    isAuthorParticipating: false,
    // Read by huggingface_hub only at this level (see the top of this file).
    upvotes: paper.upvotes,
    projectPage: paper.projectPage,
    githubRepo: paper.githubRepo,
    githubStars: paper.githubStars,
    ai_summary: paper.ai_summary,
    ai_keywords: paper.ai_keywords,
    ...(highlights
      ? {
          highlightedTitle: markSpans(card.title, highlights.title),
          highlightedSummary: markSpans(card.abstract, highlights.abstract),
        }
      : {}),
  };
}
