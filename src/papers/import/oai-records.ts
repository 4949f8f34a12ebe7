// Reads one OAI-PMH ListRecords response from arXiv into import items. Both of arXiv's metadata
// formats are understood: `arXiv` (authors as keyname/forenames, created/updated days) and
// `arXivRaw` (an authors string, every version with its date, the submitter). Deleted records are
// counted and skipped; a record that cannot be read is rejected by its identifier with a reason.
// OAI errors: noRecordsMatch is an empty page; any other code is an OaiError.
import { parseArxivId } from "../arxiv-id.ts";
import { normalizeSpace, type PaperInput } from "../model.ts";
import type { SourceItem } from "./jsonl.ts";
import { attr, children, childText, parseXml, type XmlNode } from "./xml.ts";

export const OAI_SOURCE = "oai-pmh";

/** The OAI-PMH server answered with an error element (other than noRecordsMatch). */
export class OaiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`OAI-PMH error ${code}: ${message}`);
    this.name = "OaiError";
  }
}

export interface OaiPage {
  items: SourceItem[];
  /** Records on the page, deleted ones included. */
  records: number;
  deleted: number;
  /** The token for the next page; null on the last page. */
  token: string | null;
  /** The size of the whole list and this page's offset, when the server says. */
  completeListSize: number | null;
  cursor: number | null;
  /** The server said noRecordsMatch: the selection is empty. */
  noRecordsMatch: boolean;
}

/** Parses one response body; throws XmlFormatError or OaiError. */
export function parseOaiPage(xml: string): OaiPage {
  const root = parseXml(xml, "OAI-PMH", "OAI-PMH response");
  const errors = children(root, "error");
  const empty: OaiPage = {
    items: [],
    records: 0,
    deleted: 0,
    token: null,
    completeListSize: null,
    cursor: null,
    noRecordsMatch: false,
  };
  if (errors.length > 0) {
    if (errors.some((e) => attr(e, "code") === "noRecordsMatch")) return { ...empty, noRecordsMatch: true };
    const first = errors[0] as XmlNode;
    throw new OaiError(
      attr(first, "code") ?? "unknown",
      normalizeSpace(childText(first, "#text") ?? "") || "no message",
    );
  }
  const list = root.ListRecords;
  if (list === undefined) throw new OaiError("badResponse", "the response holds neither ListRecords nor an error");
  const listNode = (typeof list === "object" && list !== null ? list : {}) as XmlNode;
  const page: OaiPage = { ...empty };
  for (const record of children(listNode, "record")) {
    page.records++;
    const header = children(record, "header")[0];
    const identifier = normalizeSpace(childText(header, "identifier") ?? "");
    if (attr(header, "status") === "deleted") {
      page.deleted++;
      continue;
    }
    page.items.push(recordItem(record, identifier || `record ${page.records}`));
  }
  const token = children(listNode, "resumptionToken")[0];
  if (token) {
    const text = normalizeSpace(childText(token, "#text") ?? "");
    page.token = text || null;
    page.completeListSize = optionalCount(attr(token, "completeListSize"));
    page.cursor = optionalCount(attr(token, "cursor"));
  }
  return page;
}

function optionalCount(value: string | undefined): number | null {
  if (value === undefined || !/^\d+$/.test(value.trim())) return null;
  return Number(value);
}

/** One record's metadata to an item; rejections are named by the record's arXiv id. */
function recordItem(record: XmlNode, identifier: string): SourceItem {
  const metadata = children(record, "metadata")[0];
  const arxiv = children(metadata, "arXiv")[0];
  const raw = children(metadata, "arXivRaw")[0];
  const result = arxiv ? fromArxiv(arxiv) : raw ? fromArxivRaw(raw) : new Error("no arXiv or arXivRaw metadata");
  if (result instanceof Error) {
    return { kind: "rejected", ref: `oai-pmh:${identifier.replace(/^oai:arXiv\.org:/i, "")}`, reason: result.message };
  }
  return { kind: "record", record: { paper: result, ref: `oai-pmh:${result.arxivId}`, source: OAI_SOURCE } };
}

/** Fields both formats share: id, title, categories (space-separated, primary first), notes, abstract. */
function common(meta: XmlNode): PaperInput | Error {
  const rawId = normalizeSpace(childText(meta, "id") ?? "");
  const id = parseArxivId(rawId);
  if (!id)
    return new Error(rawId ? `<id> is not an arXiv id: ${JSON.stringify(rawId.slice(0, 80))}` : "<id> is missing");
  const title = normalizeSpace(childText(meta, "title") ?? "");
  if (!title) return new Error("<title> is empty");
  const categories = [
    ...new Set(
      normalizeSpace(childText(meta, "categories") ?? "")
        .split(" ")
        .filter(Boolean),
    ),
  ];
  const optional = (name: string) => normalizeSpace(childText(meta, name) ?? "") || null;
  return {
    arxivId: id.id,
    title,
    abstract: normalizeSpace(childText(meta, "abstract") ?? ""),
    categories,
    comment: optional("comments"),
    journalRef: optional("journal-ref"),
    doi: optional("doi"),
  };
}

/** A day YYYY-MM-DD to an ISO instant at midnight UTC, or an Error naming the element. */
function dayInstant(meta: XmlNode, name: string): string | null | Error {
  const text = normalizeSpace(childText(meta, name) ?? "");
  if (!text) return null;
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T00:00:00Z`) : Number.NaN;
  // Date.parse rolls 2026-11-31 over to December; a day that does not exist is an error.
  const iso = Number.isNaN(ms) ? "" : new Date(ms).toISOString();
  if (!iso.startsWith(text))
    return new Error(`<${name}> is not a date YYYY-MM-DD: ${JSON.stringify(text.slice(0, 40))}`);
  return iso;
}

/** The `arXiv` format: authors as keyname/forenames/suffix, created and updated as days. */
export function fromArxiv(meta: XmlNode): PaperInput | Error {
  const base = common(meta);
  if (base instanceof Error) return base;
  const created = dayInstant(meta, "created");
  if (created instanceof Error) return created;
  const updated = dayInstant(meta, "updated");
  if (updated instanceof Error) return updated;
  const authors = children(children(meta, "authors")[0], "author")
    .map((a) =>
      normalizeSpace(
        [childText(a, "forenames"), childText(a, "keyname"), childText(a, "suffix")].filter(Boolean).join(" "),
      ),
    )
    .filter((name) => name.length > 0);
  return { ...base, authors, submittedAt: created, updatedAt: updated ?? created };
}

/** The `arXivRaw` format: every version with its date, authors as one string. */
export function fromArxivRaw(meta: XmlNode): PaperInput | Error {
  const base = common(meta);
  if (base instanceof Error) return base;
  const versions: { n: number; at: string }[] = [];
  for (const v of children(meta, "version")) {
    const label = attr(v, "version") ?? "";
    const n = /^v(\d+)$/.exec(label.trim())?.[1];
    const date = normalizeSpace(childText(v, "date") ?? "");
    const ms = Date.parse(date);
    if (!n) return new Error(`<version version=${JSON.stringify(label)}> is not vN`);
    if (Number.isNaN(ms)) return new Error(`version v${n} has a bad date: ${JSON.stringify(date.slice(0, 40))}`);
    versions.push({ n: Number(n), at: new Date(ms).toISOString() });
  }
  versions.sort((a, b) => a.n - b.n);
  const first = versions[0];
  const last = versions[versions.length - 1];
  return {
    ...base,
    authors: splitAuthors(childText(meta, "authors") ?? ""),
    ...(last ? { version: last.n, submittedAt: first?.at ?? null, updatedAt: last.at } : {}),
  };
}

/**
 * Splits an arXivRaw authors string ("A. One, B. Two (MIT), and C. Three") into names in order:
 * commas and "and" separate names, parenthesised affiliations are dropped.
 */
export function splitAuthors(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of text) {
    if (ch === "(") depth++;
    else if (ch === ")") depth = Math.max(0, depth - 1);
    else if (depth === 0) {
      if (ch === ",") {
        parts.push(current);
        current = "";
      } else current += ch;
    }
  }
  parts.push(current);
  return parts
    .flatMap((p) => ` ${p} `.split(/\s+and\s+/))
    .map(normalizeSpace)
    .filter((name) => name.length > 0);
}
