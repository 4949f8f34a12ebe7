// Daily Papers: one day, one ISO week or one month of featured papers, with Daily/Weekly/Monthly
// tabs, previous/next links to the nearest periods that have papers, a date picker (a plain form),
// sorting, and, for an empty period, a link to the nearest day that has papers.
import type { FeaturedItem, Page } from "../../papers/lists.ts";
import type { Period, PeriodKind } from "../../papers/periods.ts";
import { CardList, Pager, PaperCardView, plural } from "../components.tsx";
import { type FeedLink, Layout } from "../layout.tsx";

export const PERIOD_PATH: Record<PeriodKind, string> = { day: "date", week: "week", month: "month" };
export const periodPath = (kind: PeriodKind, key: string) => `/papers/${PERIOD_PATH[kind]}/${key}`;

const TABS: { kind: PeriodKind; label: string }[] = [
  { kind: "day", label: "Daily" },
  { kind: "week", label: "Weekly" },
  { kind: "month", label: "Monthly" },
];

const SORTS = [
  { sort: "upvotes", label: "Most upvoted" },
  { sort: "trending", label: "Trending" },
  { sort: "publishedAt", label: "Newest" },
] as const;

export interface DailyPageProps {
  period: Period | null;
  /** Keys of the nearest periods with papers, before and after. */
  prev: string | null;
  next: string | null;
  /** Period key per tab: the week and month holding the current day, and so on. */
  tabKeys: Record<PeriodKind, string>;
  /** For an empty period: the nearest featured day. */
  nearest: string | null;
  list: Page<FeaturedItem>;
  sort: string;
  url: URL;
  feeds: FeedLink[];
}

export function DailyPage(p: DailyPageProps) {
  if (!p.period) {
    return (
      <Layout title="Daily Papers" section="daily" alternates={p.feeds}>
        <h1>Daily Papers</h1>
        <p>
          No papers have been featured on this instance yet. Import some with <code>paperboy import</code>.
        </p>
      </Layout>
    );
  }
  const { period } = p;
  const heading = `Daily Papers — ${period.label}`;
  const page = Math.floor(p.list.offset / p.list.limit) + 1;
  const pages = Math.ceil(p.list.total / p.list.limit);
  const sortUrl = (sort: string) => {
    const u = new URL(p.url);
    u.searchParams.delete("page");
    if (sort === "upvotes") u.searchParams.delete("sort");
    else u.searchParams.set("sort", sort);
    return `${u.pathname}${u.search}`;
  };
  return (
    <Layout
      title={heading}
      section="daily"
      alternates={p.feeds}
      canonical={periodPath(period.kind, period.key)}
      description={`Research papers featured by the community: ${period.label}.`}
    >
      <div class="period-head">
        <h1>{heading}</h1>
        <nav class="tabs" aria-label="Period">
          <ul>
            {TABS.map((t) => (
              <li>
                <a
                  href={periodPath(t.kind, p.tabKeys[t.kind])}
                  aria-current={t.kind === period.kind ? "page" : undefined}
                >
                  {t.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </div>
      <div class="period-nav">
        <nav class="steps" aria-label={`Previous and next ${period.kind}`}>
          {p.prev ? (
            <a href={periodPath(period.kind, p.prev)} rel="prev">
              ← Previous {period.kind}
            </a>
          ) : (
            <span class="disabled">← Previous {period.kind}</span>
          )}
          {p.next ? (
            <a href={periodPath(period.kind, p.next)} rel="next">
              Next {period.kind} →
            </a>
          ) : (
            <span class="disabled">Next {period.kind} →</span>
          )}
        </nav>
        <form class="date-picker" action="/papers/date" method="get">
          <label for="pick-date">Go to date</label>
          <input id="pick-date" type="date" name="date" value={period.from} required />
          <button type="submit">Go</button>
        </form>
      </div>
      {p.list.total === 0 ? (
        <section class="empty">
          <p>No papers were featured in this {period.kind === "day" ? "day" : period.kind}.</p>
          {p.nearest ? (
            <p>
              The nearest day with papers is <a href={periodPath("day", p.nearest)}>{p.nearest}</a>.
            </p>
          ) : null}
        </section>
      ) : (
        <>
          <div class="list-head">
            <p>{plural(p.list.total, "paper")}</p>
            <nav class="sorts" aria-label="Sort">
              {SORTS.map((s) => (
                <a href={sortUrl(s.sort)} aria-current={p.sort === s.sort ? "true" : undefined}>
                  {s.label}
                </a>
              ))}
            </nav>
          </div>
          <CardList start={p.list.offset + 1}>
            {p.list.items.map((item) => (
              <li>
                <PaperCardView card={item.card} featuring={item.featuring} />
              </li>
            ))}
          </CardList>
          <Pager url={p.url} page={page} pages={pages} />
        </>
      )}
    </Layout>
  );
}
