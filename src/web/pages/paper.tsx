// The paper page: title and abstract with their math rendered on the server, linked authors,
// arXiv/PDF/HTML/code/project links, upvotes, the days it was featured, similar papers and the
// discussion; plus the page for a paper this archive does not hold.
import { raw } from "hono/html";
import type { PaperCard } from "../../papers/cards.ts";
import type { PaperDetail } from "../../papers/lists.ts";
import { currentViewer } from "../auth.ts";
import { Discussion } from "../community/discussion.tsx";
import { PaperActions } from "../community/paper-actions.tsx";
import { VoteButton } from "../community/vote-button.tsx";
import { Authors, Categories, paperPath, plural, shortDate } from "../components.tsx";
import { type FeedLink, Layout } from "../layout.tsx";
import { renderMath } from "../render/math.ts";
import { periodPath } from "./daily.tsx";
import { CsrfField } from "./forms.tsx";

export function PaperPage({
  paper,
  similar,
  alternates,
}: {
  paper: PaperDetail;
  similar: PaperCard[];
  alternates: FeedLink[];
}) {
  const version = paper.version ? `v${paper.version}` : "";
  return (
    <Layout
      title={paper.title}
      alternates={alternates}
      canonical={paperPath(paper.arxivId)}
      description={paper.abstract.slice(0, 200)}
    >
      <article class="paper">
        <header>
          <p class="kicker">
            arXiv:{paper.arxivId}
            {version} · {shortDate(paper.submittedAt ?? paper.date)}
            {paper.updatedAt && paper.updatedAt !== paper.submittedAt ? ` · updated ${shortDate(paper.updatedAt)}` : ""}
          </p>
          <h1>{raw(renderMath(paper.title))}</h1>
          <p class="authors">
            <Authors names={paper.authors} />
          </p>
          <Categories categories={paper.categories} />
        </header>
        <div class="paper-actions">
          <VoteButton card={paper} />
          <ul class="links" aria-label="Links">
            <li>
              <a href={paper.links.abs}>arXiv page</a>
            </li>
            <li>
              <a href={paper.links.pdf}>PDF</a>
            </li>
            <li>
              <a href={paper.links.html}>HTML</a>
            </li>
            {paper.links.code ? (
              <li>
                <a href={paper.links.code} rel="noopener nofollow">
                  Code{paper.codeStars !== null ? ` ★ ${paper.codeStars.toLocaleString("en")}` : ""}
                </a>
              </li>
            ) : null}
            {paper.links.project ? (
              <li>
                <a href={paper.links.project} rel="noopener nofollow">
                  Project page
                </a>
              </li>
            ) : null}
            <li>
              <a href={`${paperPath(paper.arxivId)}.md`} type="text/markdown">
                Markdown
              </a>
            </li>
          </ul>
          <PaperActions paper={paper} />
        </div>
        <section aria-labelledby="abstract-title">
          <h2 id="abstract-title">Abstract</h2>
          <div class="abstract-full">{raw(renderMath(paper.abstract))}</div>
          {paper.comment ? <p class="note">Comments: {paper.comment}</p> : null}
          {paper.journalRef ? <p class="note">Journal reference: {paper.journalRef}</p> : null}
          {paper.doi ? (
            <p class="note">
              DOI: <a href={`https://doi.org/${paper.doi}`}>{paper.doi}</a>
            </p>
          ) : null}
        </section>
        {paper.featurings.length > 0 ? (
          <section aria-labelledby="featured-title">
            <h2 id="featured-title">Featured in Daily Papers</h2>
            <ul class="featured">
              {paper.featurings.map((f) => (
                <li>
                  <a href={periodPath("day", f.day)}>{shortDate(f.day)}</a>
                  {f.submittedBy ? ` · submitted by ${f.submittedBy}` : ""}
                  {f.organization ? ` · ${f.organization}` : ""} · {plural(f.upvotes, "upvote")}
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        <section aria-labelledby="similar-title">
          <h2 id="similar-title">Similar papers</h2>
          {similar.length === 0 ? (
            <p>Similar papers appear once the search index has been built.</p>
          ) : (
            <ol class="similar">
              {similar.map((s) => (
                <li>
                  <a href={paperPath(s.arxivId)}>{raw(renderMath(s.title))}</a>
                  <span class="muted">
                    {" "}
                    · {s.authors[0] ?? ""}
                    {s.authors.length > 1 ? " et al." : ""} · {shortDate(s.date)}
                  </span>
                </li>
              ))}
            </ol>
          )}
        </section>
        <Discussion paper={paper} />
      </article>
    </Layout>
  );
}

export function UnknownPaperPage({ arxivId, error }: { arxivId: string; error?: string }) {
  const viewer = currentViewer();
  return (
    <Layout title={`arXiv:${arxivId} is not here yet`}>
      <h1>arXiv:{arxivId} is not in this archive yet</h1>
      <p>
        It may be newer than the last import, or outside the categories this instance follows. You can read it{" "}
        <a href={`https://arxiv.org/abs/${arxivId}`}>on arXiv</a>.
      </p>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      {viewer ? (
        <form method="post" action={`${paperPath(arxivId)}/fetch`}>
          <CsrfField />
          <p>Fetch it from arXiv into this archive: its page, search and similar papers then work here.</p>
          <button type="submit">Fetch from arXiv</button>
        </form>
      ) : (
        <p>
          <a href={`/signin?next=${encodeURIComponent(paperPath(arxivId))}`}>Sign in</a> to fetch it from arXiv into
          this archive.
        </p>
      )}
    </Layout>
  );
}

/** The paper as Markdown (`/papers/:id.md`): for reading in a terminal or handing to a tool. */
export function paperMarkdown(paper: PaperDetail, baseUrl: string): string {
  const lines = [
    `# ${paper.title}`,
    "",
    `**Authors:** ${paper.authors.join(", ")}`,
    "",
    `**arXiv:** [${paper.arxivId}](${paper.links.abs}) · [PDF](${paper.links.pdf}) · [HTML](${paper.links.html})`,
  ];
  if (paper.links.code)
    lines.push(`**Code:** ${paper.links.code}${paper.codeStars !== null ? ` (${paper.codeStars} stars)` : ""}`);
  if (paper.links.project) lines.push(`**Project page:** ${paper.links.project}`);
  lines.push(
    `**Categories:** ${paper.categories.join(", ")}`,
    `**Published:** ${paper.submittedAt ?? paper.date ?? "unknown"}`,
    `**Upvotes:** ${paper.upvotes}`,
    "",
    "## Abstract",
    "",
    paper.abstract,
  );
  if (paper.featurings.length > 0) {
    lines.push("", "## Featured in Daily Papers", "");
    for (const f of paper.featurings)
      lines.push(`- ${f.day}${f.submittedBy ? ` (submitted by ${f.submittedBy})` : ""}`);
  }
  lines.push("", `Source: ${baseUrl}${paperPath(paper.arxivId)}`, "");
  return lines.join("\n");
}
