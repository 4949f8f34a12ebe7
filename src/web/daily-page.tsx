// The Daily Papers page: the papers featured on one day, most upvoted first.

import { arxivLinks } from "../papers/arxiv-id.ts";
import type { DailyEntry } from "../papers/daily.ts";

function excerpt(text: string, max = 320): string {
  return text.length <= max ? text : `${text.slice(0, text.lastIndexOf(" ", max))}…`;
}

export function DailyPage({ day, entries }: { day: string | null; entries: DailyEntry[] }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{day ? `Daily Papers — ${day} — Paperboy` : "Paperboy"}</title>
      </head>
      <body>
        <header>
          <h1>Paperboy</h1>
        </header>
        <main>
          <h2>{day ? `Daily Papers — ${day}` : "No papers have been featured yet"}</h2>
          <ol>
            {entries.map((e) => (
              <li>
                <article>
                  <h3>
                    <a href={arxivLinks(e.arxivId).abs}>{e.title}</a>
                  </h3>
                  <p>{e.authors.join(", ")}</p>
                  <p>{excerpt(e.abstract)}</p>
                  <p>
                    {e.upvotes} upvotes · {e.numComments} comments
                    {e.categories.length > 0 ? ` · ${e.categories.join(" ")}` : ""}
                    {e.submittedBy ? ` · submitted by ${e.submittedBy}` : ""}
                    {e.codeUrl ? (
                      <>
                        {" · "}
                        <a href={e.codeUrl}>code{e.codeStars !== null ? ` (${e.codeStars}★)` : ""}</a>
                      </>
                    ) : null}
                  </p>
                </article>
              </li>
            ))}
          </ol>
        </main>
      </body>
    </html>
  );
}
