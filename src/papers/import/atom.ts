// Reads arXiv API responses (Atom 1.0 with OpenSearch and arXiv extensions) into papers. A page gives
// its OpenSearch counts and one result per entry: a PaperInput, or a rejection naming the entry and
// what is wrong with it, so one bad entry never costs the rest of the page. An arXiv error feed (an
// entry titled "Error" with an api/errors id) and XML that is not well-formed are errors.
import { parseArxivId } from "../arxiv-id.ts";
import { normalizeSpace, type PaperInput } from "../model.ts";
import { attr, children, childText, parseXml, type XmlNode } from "./xml.ts";

/** The arXiv API answered with an error feed: the query itself was refused. */
export class ArxivApiError extends Error {
  override name = "ArxivApiError";
}

export type EntryResult = { ok: true; paper: PaperInput; ref: string } | { ok: false; ref: string; reason: string };

export interface AtomPage {
  totalResults: number;
  startIndex: number;
  itemsPerPage: number;
  entries: EntryResult[];
}

/** Parses one API response body; throws XmlFormatError or ArxivApiError. */
export function parseAtomPage(xml: string): AtomPage {
  const feed = parseXml(xml, "feed", "arXiv API response");
  const entries = children(feed, "entry");
  const error = entries.find(isErrorEntry);
  if (error) {
    const reason = normalizeSpace(childText(error, "summary") ?? "") || (childText(error, "id") ?? "unknown error");
    throw new ArxivApiError(`arXiv API error: ${reason}`);
  }
  return {
    totalResults: count(feed, "totalResults"),
    startIndex: count(feed, "startIndex"),
    itemsPerPage: count(feed, "itemsPerPage"),
    entries: entries.map((entry, i) => parseEntry(entry, i)),
  };
}

function isErrorEntry(entry: XmlNode): boolean {
  const id = childText(entry, "id") ?? "";
  if (id.includes("/api/errors")) return true;
  // Older error feeds carry other ids; a real paper titled "Error" still has an arXiv id.
  return normalizeSpace(childText(entry, "title") ?? "") === "Error" && parseArxivId(normalizeSpace(id)) === null;
}

function count(feed: XmlNode, name: string): number {
  const text = childText(feed, name)?.trim();
  if (text === undefined) throw new ArxivApiError(`arXiv API response has no opensearch:${name}`);
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0)
    throw new ArxivApiError(`arXiv API response has a bad opensearch:${name}: ${text}`);
  return n;
}

/** ISO form of an Atom date, or an error naming the element. */
function isoDate(entry: XmlNode, name: string): string | null | Error {
  const text = childText(entry, name)?.trim();
  if (!text) return null;
  const ms = Date.parse(text);
  if (Number.isNaN(ms) || !realDay(text))
    return new Error(`<${name}> is not a date: ${JSON.stringify(text.slice(0, 40))}`);
  return new Date(ms).toISOString();
}

/** False for a leading YYYY-MM-DD that does not exist (Date.parse rolls 2026-11-31 over to December). */
function realDay(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (!m) return true;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

function optionalText(entry: XmlNode, name: string): string | null {
  const text = childText(entry, name);
  if (text === undefined) return null;
  return normalizeSpace(text) || null;
}

/** One entry to a paper, or the reason it cannot be one. */
export function parseEntry(entry: XmlNode, index: number): EntryResult {
  const rawId = normalizeSpace(childText(entry, "id") ?? "");
  const parsed = parseArxivId(rawId);
  const ref = parsed ? `${parsed.id}${parsed.version ? `v${parsed.version}` : ""}` : `entry ${index + 1}`;
  if (!parsed) {
    return {
      ok: false,
      ref,
      reason: rawId ? `<id> is not an arXiv id: ${JSON.stringify(rawId.slice(0, 80))}` : "<id> is missing",
    };
  }
  const title = normalizeSpace(childText(entry, "title") ?? "");
  if (!title) return { ok: false, ref, reason: "<title> is empty" };

  const published = isoDate(entry, "published");
  if (published instanceof Error) return { ok: false, ref, reason: published.message };
  const updated = isoDate(entry, "updated");
  if (updated instanceof Error) return { ok: false, ref, reason: updated.message };

  const authors = children(entry, "author")
    .map((a) => normalizeSpace(childText(a, "name") ?? ""))
    .filter((name) => name.length > 0);
  const listed = children(entry, "category")
    .map((c) => attr(c, "term")?.trim() ?? "")
    .filter((term) => term.length > 0);
  const primary = attr(children(entry, "primary_category")[0], "term")?.trim();
  const categories = [...new Set(primary ? [primary, ...listed] : listed)];

  const paper: PaperInput = {
    arxivId: parsed.id,
    version: parsed.version,
    title,
    abstract: normalizeSpace(childText(entry, "summary") ?? ""),
    authors,
    categories,
    comment: optionalText(entry, "comment"),
    journalRef: optionalText(entry, "journal_ref"),
    doi: optionalText(entry, "doi"),
    submittedAt: published,
    updatedAt: updated ?? published,
  };
  return { ok: true, paper, ref };
}
