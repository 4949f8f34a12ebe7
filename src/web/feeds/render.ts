// A feed document (title, links, entries) written as RSS 2.0 or Atom 1.0 with the `feed` package,
// or as JSON Feed 1.1 directly (feed v6 only writes JSON Feed 1.0, with one author per item).
//
// What the `feed` package does not do, and is done here before handing it text:
// - Characters XML forbids (C0 controls but tab/LF/CR, U+FFFE/U+FFFF, lone surrogates) are
//   stripped from every string: the library would write them and the XML would not parse.
// - Item titles and content go into CDATA sections that readers take as HTML (Atom says
//   type="html"), so plain text is HTML-escaped first. That also keeps `]]>` out of the CDATA:
//   xml-js splits only the first `]]>` of a section, and a second one would end it early.
// - Text elements (feed title, author names) pass through xml-js, which turns `&amp;` back into
//   `&` before escaping; doubling every `&` first makes such text come out as written.
// - RSS: `<guid isPermaLink="true">` is only written when an item has a link but no id or guid,
//   so items get no id (Atom then uses the link as the entry id, which is what we want anyway).
//   Authors become `<dc:creator>` (RSS `<author>` must be an email address); the dc namespace is
//   declared by the library only when an item has content, which every item here has.
import { Feed } from "feed";
import { FEED_FORMATS, type FeedFormat, feedPath } from "./links.ts";

export interface FeedEntry {
  arxivId: string;
  title: string;
  /** Plain text; LaTeX stays as its source. */
  abstract: string;
  authors: string[];
  categories: string[];
  /** The item's date in this feed (when it was featured, or when the paper was submitted). */
  date: Date;
  /** The paper on arXiv. */
  externalUrl?: string;
}

export interface FeedDoc {
  title: string;
  description: string;
  /** The page on this instance the feed mirrors (path and query). */
  homePath: string;
  /** The feed's own path without extension (path and query), see feedPath(). */
  path: string;
  entries: FeedEntry[];
}

const GENERATOR = "Paperboy";
const EXCERPT_CHARS = 300;
/** The `updated` date of a feed with no entries: fixed, so an empty feed keeps its ETag. */
const EMPTY_UPDATED = new Date(0);

const NOT_XML =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters removed
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The text with every character XML 1.0 cannot carry removed. */
export function xmlSafe(text: string): string {
  return text.replace(NOT_XML, "");
}

/** Plain text as HTML text (for CDATA sections readers read as HTML). */
export function htmlText(text: string): string {
  return xmlSafe(text)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** Plain text for an xml-js text node: undoes in advance its turning `&amp;` into `&`. */
function xmlText(text: string): string {
  return xmlSafe(text).replace(/&/g, "&amp;");
}

/** Categories go into attributes, which xml-js escapes only for quotes: keep the plain ones. */
const SAFE_CATEGORY = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const categoriesOf = (entry: FeedEntry) => entry.categories.filter((c) => SAFE_CATEGORY.test(c));

/** The first EXCERPT_CHARS characters of the abstract, cut at a space. */
export function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= EXCERPT_CHARS) return flat;
  const cut = flat.slice(0, EXCERPT_CHARS);
  const space = cut.lastIndexOf(" ");
  return `${(space > EXCERPT_CHARS / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** The newest entry date, or a fixed date for an empty feed. */
export function newest(entries: FeedEntry[]): Date {
  let best = EMPTY_UPDATED;
  for (const e of entries) if (e.date > best) best = e.date;
  return best;
}

interface Urls {
  home: string;
  self: string;
  paper: (arxivId: string) => string;
}

function urlsOf(doc: FeedDoc, format: FeedFormat, baseUrl: string): Urls {
  return {
    home: `${baseUrl}${doc.homePath}`,
    self: `${baseUrl}${feedPath(doc.path, format)}`,
    paper: (arxivId) => `${baseUrl}/papers/${arxivId}`,
  };
}

function xmlFeed(doc: FeedDoc, urls: Urls): Feed {
  return new Feed({
    id: urls.self,
    title: xmlText(doc.title),
    description: xmlText(doc.description),
    link: urls.home,
    feed: urls.self,
    updated: newest(doc.entries),
    generator: GENERATOR,
    author: { name: GENERATOR },
  });
}

function rss(doc: FeedDoc, urls: Urls): string {
  const feed = xmlFeed(doc, urls);
  for (const e of doc.entries) {
    const authors = e.authors.map(xmlSafe).filter(Boolean).join(", ");
    feed.addItem({
      title: htmlText(e.title),
      link: urls.paper(e.arxivId),
      date: e.date,
      description: htmlText(excerpt(e.abstract)),
      content: htmlText(e.abstract) || "(no abstract)",
      category: categoriesOf(e).map((name) => ({ name })),
      ...(authors ? { extensions: [{ name: "dc:creator", objects: { _text: xmlText(authors) } }] } : {}),
    });
  }
  return feed.rss2();
}

function atom(doc: FeedDoc, urls: Urls): string {
  const feed = xmlFeed(doc, urls);
  for (const e of doc.entries) {
    feed.addItem({
      title: htmlText(e.title),
      link: urls.paper(e.arxivId),
      date: e.date,
      ...(e.abstract.trim() ? { content: htmlText(e.abstract) } : {}),
      author: e.authors.map((name) => ({ name: xmlText(name) })),
      category: categoriesOf(e).map((term) => ({ term, name: term })),
    });
  }
  return feed.atom1();
}

function jsonFeed(doc: FeedDoc, urls: Urls): string {
  return JSON.stringify(
    {
      version: "https://jsonfeed.org/version/1.1",
      title: xmlSafe(doc.title),
      home_page_url: urls.home,
      feed_url: urls.self,
      description: xmlSafe(doc.description),
      authors: [{ name: GENERATOR }],
      items: doc.entries.map((e) => ({
        id: urls.paper(e.arxivId),
        url: urls.paper(e.arxivId),
        ...(e.externalUrl ? { external_url: e.externalUrl } : {}),
        title: xmlSafe(e.title),
        content_text: xmlSafe(e.abstract),
        ...(excerpt(e.abstract).endsWith("…") ? { summary: xmlSafe(excerpt(e.abstract)) } : {}),
        date_published: e.date.toISOString(),
        authors: e.authors.map((name) => ({ name: xmlSafe(name) })),
        tags: e.categories.map(xmlSafe),
      })),
    },
    null,
    2,
  );
}

/** The feed in one format, and its media type. */
export function renderFeed(doc: FeedDoc, format: FeedFormat, baseUrl: string): { body: string; type: string } {
  const urls = urlsOf(doc, format, baseUrl);
  const body = format === "rss" ? rss(doc, urls) : format === "atom" ? atom(doc, urls) : jsonFeed(doc, urls);
  return { body, type: `${FEED_FORMATS[format].type}; charset=utf-8` };
}
