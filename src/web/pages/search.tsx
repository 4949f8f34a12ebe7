// The search page: a form (query, mode, category, dates) that works without JavaScript, results
// with highlighted matches and pages; search.js makes it update as you type from /api/search and
// keeps the query in the URL.
import type { SearchResponse } from "../../search/service.ts";
import { SaveSearchForm } from "../community/saved-searches-routes.tsx";
import { CardList, Pager, PaperCardView, plural } from "../components.tsx";
import { type FeedLink, Layout } from "../layout.tsx";

export interface SearchForm {
  q: string;
  mode: string;
  category: string;
  from: string;
  to: string;
}

const MODES = [
  { mode: "hybrid", label: "Hybrid", hint: "keywords and meaning" },
  { mode: "keyword", label: "Keyword", hint: "exact words" },
  { mode: "semantic", label: "Semantic", hint: "meaning only" },
];

export function SearchPage({
  form,
  result,
  error,
  url,
  feeds,
  semanticStatus,
}: {
  form: SearchForm;
  result: SearchResponse | null;
  error: string | null;
  url: URL;
  feeds: FeedLink[];
  semanticStatus: string;
}) {
  const title = form.q ? `Search: ${form.q}` : "Search papers";
  return (
    <Layout title={title} section="search" alternates={feeds} scripts={["search.js"]} query={form.q}>
      <h1>{form.q ? "Search results" : "Search papers"}</h1>
      <search>
        <form id="search-form" class="search-form" action="/search" method="get">
          <div class="search-row">
            <label class="visually-hidden" for="q">
              Search papers
            </label>
            <input
              id="q"
              type="search"
              name="q"
              value={form.q}
              placeholder='e.g. language model alignment, "direct preference", author:Hinton'
              autocomplete="off"
              autofocus={!form.q}
            />
            <button type="submit">Search</button>
          </div>
          <fieldset class="modes">
            <legend>Mode</legend>
            {MODES.map((m) => (
              <label>
                <input type="radio" name="mode" value={m.mode} checked={form.mode === m.mode} /> {m.label}{" "}
                <span class="muted">({m.hint})</span>
              </label>
            ))}
          </fieldset>
          <details class="filters" open={Boolean(form.category || form.from || form.to)}>
            <summary>Filters</summary>
            <div class="filter-row">
              <label>
                Category <input type="text" name="category" value={form.category} placeholder="cs.CL" size={10} />
              </label>
              <label>
                From <input type="date" name="from" value={form.from} />
              </label>
              <label>
                To <input type="date" name="to" value={form.to} />
              </label>
            </div>
          </details>
          <p class="muted hint">
            Use "quotes" for phrases, -word to exclude, author:"Name", cat:cs.CL, after:2024-01-01.
          </p>
        </form>
      </search>
      <SaveSearchForm q={form.q} mode={form.mode} category={form.category} from={form.from} to={form.to} />
      <div id="results" aria-live="polite">
        <SearchResults form={form} result={result} error={error} url={url} semanticStatus={semanticStatus} />
      </div>
    </Layout>
  );
}

function SearchResults({
  form,
  result,
  error,
  url,
  semanticStatus,
}: {
  form: SearchForm;
  result: SearchResponse | null;
  error: string | null;
  url: URL;
  semanticStatus: string;
}) {
  if (error)
    return (
      <p class="error" role="alert">
        {error}
      </p>
    );
  if (!result) return null;
  const page = Math.floor(result.offset / result.limit) + 1;
  return (
    <>
      <p class="result-count">
        {plural(result.total, "paper")} for “{form.q}” · {result.modeUsed} search
        {result.modeUsed !== result.mode ? ` (semantic index ${semanticStatus}; showing keyword results)` : ""}
      </p>
      {result.warnings.map((w) => (
        <p class="muted">{w}</p>
      ))}
      {result.hits.length === 0 ? (
        <p>No papers match. Try fewer words, or the semantic mode.</p>
      ) : (
        <CardList start={result.offset + 1}>
          {result.hits.map((h) => (
            <li>
              <PaperCardView card={h.paper} highlights={h.highlights} />
            </li>
          ))}
        </CardList>
      )}
      <Pager url={url} page={page} pages={Math.min(Math.ceil(result.total / result.limit), 50)} label="Result pages" />
    </>
  );
}
