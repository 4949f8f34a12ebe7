// `paperboy ingest arxiv`: pages through the arXiv search API for one category and a range of
// submission days, newest first, and upserts every entry (source "arxiv-api"). Each page is written
// as it arrives; the run stops cleanly when totalResults is reached, a page comes back empty, or
// --max entries have been read. Bad entries are rejected by id with a reason; the rest go in.
import type { Db } from "../../db/client.ts";
import { ArgumentError, checkRange, parseCategory, parseCount, parseDay, todayUtc } from "./arguments.ts";
import { ArxivApiError, type AtomPage, type EntryResult, parseAtomPage } from "./atom.ts";
import { type ArxivClient, ArxivHttpError, type HttpResponse, snippet } from "./http.ts";
import type { SourceItem } from "./jsonl.ts";
import { emptyReport, type ImportReport, importItems, type Rejection } from "./run.ts";

export const API_SOURCE = "arxiv-api";
/** arXiv serves at most 2000 entries per request. */
export const MAX_PAGE_SIZE = 2000;

export interface IngestOptions {
  /** arXiv category, such as cs.CL. */
  category: string;
  /** First submission day, YYYY-MM-DD (UTC). */
  since: string;
  /** Last submission day, YYYY-MM-DD (default today, UTC). */
  until?: string;
  /** Stop after this many entries (default: all). */
  max?: number;
  /** Entries per request (default 100, at most 2000). */
  pageSize?: number;
  onPage?: (page: { start: number; received: number; total: number }) => void;
  onRejected?: (r: Rejection) => void;
}

export interface IngestResult {
  report: ImportReport;
  /** Requests that returned a page. */
  pages: number;
  /** What arXiv said the query matches. */
  totalResults: number;
  /** Entries read (kept or rejected). */
  received: number;
}

/** Checks the options and fills defaults; throws ArgumentError naming the bad option. */
export function checkIngestOptions(options: IngestOptions): IngestOptions & { until: string; pageSize: number } {
  const category = parseCategory(options.category);
  const since = parseDay(options.since, "--since");
  const until = options.until === undefined ? todayUtc() : parseDay(options.until, "--until");
  checkRange(since, until, ["--since", "--until"]);
  const pageSize = options.pageSize ?? 100;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw new ArgumentError(`--page-size must be a whole number between 1 and ${MAX_PAGE_SIZE} (got ${pageSize})`);
  }
  if (options.max !== undefined) parseCount(String(options.max), "--max");
  return { ...options, category, since, until, pageSize };
}

/** The search_query for one category and a range of submission days (arXiv takes YYYYMMDDHHMM). */
export function searchQuery(category: string, since: string, until: string): string {
  const compact = (day: string) => day.replaceAll("-", "");
  return `cat:${category} AND submittedDate:[${compact(since)}0000 TO ${compact(until)}2359]`;
}

/** The URL of one page of a search, newest submissions first. */
export function searchUrl(apiUrl: string, query: string, start: number, maxResults: number): string {
  const url = new URL(apiUrl);
  url.searchParams.set("search_query", query);
  url.searchParams.set("start", String(start));
  url.searchParams.set("max_results", String(maxResults));
  url.searchParams.set("sortBy", "submittedDate");
  url.searchParams.set("sortOrder", "descending");
  return url.toString();
}

/** Reads an API response: the page on 200; otherwise arXiv's error feed or an HTTP error. */
export function readAtomResponse(res: HttpResponse): AtomPage {
  if (res.status === 200) return parseAtomPage(res.body);
  try {
    parseAtomPage(res.body);
  } catch (err) {
    if (err instanceof ArxivApiError) throw err;
  }
  throw new ArxivHttpError(
    `${res.url}: arXiv answered HTTP ${res.status}: ${snippet(res.body)}`,
    res.url,
    res.status,
    1,
  );
}

/** Entries of a page as import items (source "arxiv-api"). */
export async function* entryItems(entries: EntryResult[]): AsyncGenerator<SourceItem> {
  for (const e of entries) {
    if (e.ok) yield { kind: "record", record: { paper: e.paper, ref: `arxiv-api:${e.ref}`, source: API_SOURCE } };
    else yield { kind: "rejected", ref: `arxiv-api:${e.ref}`, reason: e.reason };
  }
}

/** Runs the search to its end and imports every entry; see the file comment. */
export async function ingestArxiv(
  db: Db,
  client: ArxivClient,
  apiUrl: string,
  input: IngestOptions,
  /** Where counts accumulate; pass one to keep what was stored when a later page fails. */
  report: ImportReport = emptyReport(),
): Promise<IngestResult> {
  const options = checkIngestOptions(input);
  const query = searchQuery(options.category, options.since, options.until);
  let start = 0;
  let received = 0;
  let pages = 0;
  let totalResults = 0;
  for (;;) {
    const want = options.max === undefined ? options.pageSize : Math.min(options.pageSize, options.max - received);
    if (want <= 0) break;
    const page = readAtomResponse(await client.get(searchUrl(apiUrl, query, start, want)));
    pages++;
    totalResults = page.totalResults;
    if (page.entries.length === 0) break;
    const entries = options.max === undefined ? page.entries : page.entries.slice(0, options.max - received);
    await importItems(
      db,
      entryItems(entries),
      { batchSize: MAX_PAGE_SIZE, ...(options.onRejected ? { onRejected: options.onRejected } : {}) },
      report,
    );
    received += entries.length;
    start += page.entries.length;
    options.onPage?.({ start, received, total: totalResults });
    if (start >= totalResults) break;
  }
  return { report, pages, totalResults, received };
}
