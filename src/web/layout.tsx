// The frame of every page: head (styles, feeds, theme), skip link, header with the site's
// navigation and search box, the subscribe box, and the footer. Pages pass their title, the feeds
// that mirror them and their main content.
import type { Child } from "hono/jsx";
import { currentViewer } from "./auth.ts";
import { CsrfField } from "./pages/forms.tsx";
import { assetUrl, KATEX_CSS_URL } from "./static.ts";

export interface FeedLink {
  href: string;
  type: string;
  title: string;
}

export type Section = "daily" | "trending" | "search" | "about" | null;

export interface LayoutProps {
  title: string;
  description?: string;
  section?: Section;
  /** Alternate representations (<link rel="alternate">): feeds, Markdown, JSON. */
  alternates?: FeedLink[];
  canonical?: string;
  /** Pre-fills the header search box. */
  query?: string;
  /** Extra scripts (asset names), loaded deferred. */
  scripts?: string[];
  children?: Child;
}

const NAV: { section: Section; href: string; label: string }[] = [
  { section: "daily", href: "/", label: "Daily" },
  { section: "trending", href: "/trending", label: "Trending" },
  { section: "search", href: "/search", label: "Search" },
  { section: "about", href: "/about/ranking", label: "How ranking works" },
];

function AccountLinks() {
  const viewer = currentViewer();
  if (!viewer) {
    return (
      <a class="account" href="/signin">
        Sign in
      </a>
    );
  }
  return (
    <div class="account">
      <details class="account-menu">
        <summary>{viewer.displayName}</summary>
        <ul>
          <li>
            <a href="/following">Following</a>
          </li>
          <li>
            <a href="/collections">Collections</a>
          </li>
          <li>
            <a href="/searches">Saved searches</a>
          </li>
          <li>
            <a href="/submit">Submit a paper</a>
          </li>
          <li>
            <a href="/settings">Account and digest</a>
          </li>
          {viewer.role !== "member" ? (
            <li>
              <a href="/admin">Moderation</a>
            </li>
          ) : null}
          <li>
            <form method="post" action="/signout">
              <CsrfField />
              <button type="submit" class="link">
                Sign out
              </button>
            </form>
          </li>
        </ul>
      </details>
    </div>
  );
}

export function Layout(props: LayoutProps) {
  const title = props.title === "Paperboy" ? "Paperboy" : `${props.title} · Paperboy`;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <title>{title}</title>
        {props.description ? <meta name="description" content={props.description} /> : null}
        {props.canonical ? <link rel="canonical" href={props.canonical} /> : null}
        <link rel="stylesheet" href={assetUrl("app.css")} />
        <link rel="stylesheet" href={KATEX_CSS_URL} />
        <link rel="icon" href={assetUrl("favicon.svg")} type="image/svg+xml" />
        {(props.alternates ?? []).map((a) => (
          <link rel="alternate" type={a.type} href={a.href} title={a.title} />
        ))}
        {(props.scripts ?? []).map((s) => (
          <script src={assetUrl(s)} defer />
        ))}
      </head>
      <body>
        <a class="skip" href="#content">
          Skip to content
        </a>
        <header class="site">
          <div class="bar">
            <a class="brand" href="/">
              Paperboy
            </a>
            <nav aria-label="Main">
              <ul>
                {NAV.map((n) => (
                  <li>
                    <a href={n.href} aria-current={props.section === n.section ? "page" : undefined}>
                      {n.label}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
            {props.section === "search" ? null : (
              <search class="quick-search">
                <form action="/search" method="get">
                  <label class="visually-hidden" for="site-q">
                    Search papers
                  </label>
                  <input id="site-q" type="search" name="q" value={props.query ?? ""} placeholder="Search papers" />
                  <button type="submit">Search</button>
                </form>
              </search>
            )}
            <AccountLinks />
          </div>
        </header>
        <main id="content" tabindex={-1}>
          {props.children}
        </main>
        <aside class="subscribe" aria-labelledby="subscribe-title">
          <h2 id="subscribe-title">Get trending papers in your email inbox</h2>
          <form action="/subscribe" method="post">
            <CsrfField />
            <label for="subscribe-email">Email address</label>
            <div class="row">
              <input id="subscribe-email" type="email" name="email" required autocomplete="email" />
              <button type="submit">Subscribe</button>
            </div>
          </form>
        </aside>
        <footer class="site">
          <p>
            <a href="/about/ranking">How ranking works</a> · <a href="/openapi.json">API</a> ·{" "}
            <a href="/feeds/daily.rss">RSS</a> · Paper metadata from <a href="https://arxiv.org">arXiv</a>; Daily Papers
            from the Hugging Face community.
          </p>
        </footer>
      </body>
    </html>
  );
}
