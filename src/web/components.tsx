// Pieces shared by the pages: the paper card (every list shows papers the same way), author and
// category links, dates, and the pagers.
import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import type { PaperCard } from "../papers/cards.ts";
import type { Featuring } from "../papers/lists.ts";
import type { PaperHighlights } from "../search/highlight.ts";
import { markSpans } from "./api/hf.ts";
import { CardActions } from "./community/card-actions.tsx";
import { VoteButton } from "./community/vote-button.tsx";
import { excerptMath, renderMath } from "./render/math.ts";

export const EXCERPT_CHARS = 300;
/** Authors named on a card before "et al.". */
const CARD_AUTHORS = 6;

export const paperPath = (arxivId: string) => `/papers/${arxivId}`;
export const authorPath = (name: string) => `/authors/${encodeURIComponent(name)}`;
export const categoryPath = (category: string) => `/c/${encodeURIComponent(category)}`;

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "14 Aug 2026" for an ISO day or timestamp. */
export function shortDate(value: string | null): string {
  if (!value) return "";
  const d = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(d.getTime())) return "";
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en")} ${n === 1 ? one : many}`;
}

export function Authors({ names, max, marked = [] }: { names: string[]; max?: number; marked?: number[] }) {
  const shown = max !== undefined && names.length > max ? names.slice(0, max) : names;
  const rest = names.length - shown.length;
  return (
    <>
      {shown.map((name, i) => (
        <>
          {i > 0 ? ", " : ""}
          <a href={authorPath(name)}>{marked.includes(i) ? <mark>{name}</mark> : name}</a>
        </>
      ))}
      {rest > 0 ? ` and ${rest} more` : ""}
    </>
  );
}

export function Categories({ categories }: { categories: string[] }) {
  if (categories.length === 0) return null;
  return (
    <ul class="tags" aria-label="Categories">
      {categories.map((c) => (
        <li>
          <a href={categoryPath(c)}>{c}</a>
        </li>
      ))}
    </ul>
  );
}

export interface CardProps {
  card: PaperCard;
  featuring?: Featuring;
  /** Search results: matched spans in the title and a snippet of the abstract with matches. */
  highlights?: PaperHighlights;
  /** Shown before the title (trending position). */
  rank?: number;
  level?: 2 | 3;
}

export function PaperCardView({ card, featuring, highlights, rank, level = 2 }: CardProps) {
  const Heading = level === 2 ? "h2" : "h3";
  const title = highlights ? raw(markSpans(card.title, highlights.title)) : raw(renderMath(card.title));
  const snippet = highlights?.snippet;
  const abstract = snippet
    ? raw(`${snippet.cutStart ? "…" : ""}${markSpans(snippet.text, snippet.spans)}${snippet.cutEnd ? "…" : ""}`)
    : raw(renderMath(excerptMath(card.abstract, EXCERPT_CHARS)));
  return (
    <article class="card">
      <VoteButton card={card} />
      <div class="body">
        <Heading class="title">
          {rank !== undefined ? <span class="rank">{rank}.</span> : null}
          <a href={paperPath(card.arxivId)}>{title}</a>
        </Heading>
        <p class="authors">
          <Authors names={card.authors} max={CARD_AUTHORS} marked={highlights?.authors ?? []} />
        </p>
        <p class="abstract">{abstract}</p>
        <div class="meta">
          <Categories categories={card.categories.slice(0, 4)} />
          <span>{shortDate(card.date)}</span>
          <a href={`${paperPath(card.arxivId)}#discussion`}>{plural(card.numComments, "comment")}</a>
          {card.links.code ? (
            <a href={card.links.code} rel="noopener nofollow">
              Code{card.codeStars !== null ? ` ★ ${card.codeStars.toLocaleString("en")}` : ""}
            </a>
          ) : null}
          {featuring?.submittedBy ? <span>Submitted by {featuring.submittedBy}</span> : null}
          <CardActions card={card} />
        </div>
      </div>
    </article>
  );
}

export function CardList({ children, start }: { children: unknown; start?: number }) {
  return (
    <ol class="cards" start={start}>
      {children}
    </ol>
  );
}

/** Previous/next page links for offset paging, keeping the other query parameters. */
export function Pager({
  url,
  page,
  pages,
  label = "Pages",
}: {
  url: URL;
  page: number;
  pages: number;
  label?: string;
}) {
  if (pages <= 1) return null;
  const at = (p: number) => {
    const u = new URL(url);
    if (p <= 1) u.searchParams.delete("page");
    else u.searchParams.set("page", String(p));
    return `${u.pathname}${u.search}`;
  };
  return (
    <PagerNav
      label={label}
      prev={page > 1 ? { href: at(page - 1), text: "← Previous" } : null}
      next={page < pages ? { href: at(page + 1), text: "Next →" } : null}
    >
      Page {page} of {pages}
    </PagerNav>
  );
}

/** A pager's markup: the link back, where the reader is, the link on; an empty span holds a missing link's place. */
export function PagerNav({
  label,
  prev,
  next,
  children,
}: {
  label: string;
  prev: { href: string; text: string } | null;
  next: { href: string; text: string } | null;
  children?: Child;
}) {
  return (
    <nav class="pager" aria-label={label}>
      {prev ? (
        <a href={prev.href} rel="prev">
          {prev.text}
        </a>
      ) : (
        <span />
      )}
      <span>{children}</span>
      {next ? (
        <a href={next.href} rel="next">
          {next.text}
        </a>
      ) : (
        <span />
      )}
    </nav>
  );
}
