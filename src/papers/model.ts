// The paper as importers produce it (PaperInput), how an incoming record merges into the stored
// row, and the content hash that lets a re-import of unchanged data write nothing.
//
// Merging rules:
// - Each importer fills only the fields its source knows. `undefined` means "this source does not
//   say" and keeps the stored value; a value (including null) replaces it. So an arXiv listing
//   never erases the code link a Daily Papers record brought, and vice versa.
// - Bibliographic fields (title, abstract, authors, categories, comment, dates) are owned by the
//   most authoritative source that has written them (SOURCE_RANK): a Daily Papers record fills
//   them only while nothing better has, so importing two sources in any order, any number of
//   times, converges on the same row instead of flip-flopping between their spellings.
import { createHash } from "node:crypto";

export interface PaperInput {
  arxivId: string;
  version?: number | null;
  title?: string;
  abstract?: string;
  authors?: string[];
  categories?: string[];
  comment?: string | null;
  journalRef?: string | null;
  doi?: string | null;
  submittedAt?: string | null;
  updatedAt?: string | null;
  announcedOn?: string | null;
  codeUrl?: string | null;
  codeStars?: number | null;
  projectUrl?: string | null;
}

export interface FeaturingInput {
  day: string;
  submittedBy?: string | null;
  submittedAt?: string | null;
  upvotes?: number;
  numComments?: number;
  organization?: string | null;
}

/** One record from any importer: a paper, optionally featured on a Daily Papers day. */
export interface ImportRecord {
  paper: PaperInput;
  featuring?: FeaturingInput;
  /** Where the record came from, for reports and provenance: `file.jsonl.gz:12`, a URL, an id. */
  ref: string;
  /** Which importer made it: arxiv-listing, hf-daily, arxiv-api, oai-pmh. */
  source: string;
}

/** The stored fields of a paper, in the form the hash and the database use. */
/**
 * How authoritative each importer is about bibliographic fields. arXiv's own APIs carry versions
 * and exact dates (3); the daily listings are arXiv's text but crawled (2); Daily Papers records
 * are a copy made by another site (1).
 */
export const SOURCE_RANK: Record<string, number> = {
  "arxiv-api": 3,
  "oai-pmh": 3,
  "arxiv-listing": 2,
  "hf-daily": 1,
};

const BIBLIOGRAPHIC = [
  "title",
  "abstract",
  "authors",
  "categories",
  "comment",
  "journalRef",
  "doi",
  "submittedAt",
  "updatedAt",
] as const;

export interface PaperFields {
  arxivId: string;
  /** The source whose bibliographic fields are stored (see SOURCE_RANK). */
  metadataSource: string | null;
  version: number | null;
  title: string;
  abstract: string;
  authors: string[];
  categories: string[];
  comment: string | null;
  journalRef: string | null;
  doi: string | null;
  submittedAt: string | null;
  updatedAt: string | null;
  announcedOn: string | null;
  codeUrl: string | null;
  codeStars: number | null;
  projectUrl: string | null;
}

const EMPTY: Omit<PaperFields, "arxivId" | "metadataSource"> = {
  version: null,
  title: "",
  abstract: "",
  authors: [],
  categories: [],
  comment: null,
  journalRef: null,
  doi: null,
  submittedAt: null,
  updatedAt: null,
  announcedOn: null,
  codeUrl: null,
  codeStars: null,
  projectUrl: null,
};

/** Applies an input on top of the stored fields (or on nothing, for a new paper). */
export function mergePaper(current: PaperFields | undefined, input: PaperInput, source: string): PaperFields {
  const base: PaperFields = current ?? { arxivId: input.arxivId, metadataSource: null, ...EMPTY };
  const out: PaperFields = { ...base };
  const rank = SOURCE_RANK[source] ?? 0;
  const storedRank = base.metadataSource ? (SOURCE_RANK[base.metadataSource] ?? 0) : -1;
  const outranks = rank >= storedRank;
  let wroteBibliographic = false;
  for (const key of Object.keys(EMPTY) as (keyof typeof EMPTY)[]) {
    const value = input[key];
    if (value === undefined) continue;
    if ((BIBLIOGRAPHIC as readonly string[]).includes(key)) {
      // A less authoritative source only fills what is still empty.
      if (!outranks && !isEmpty(base[key])) continue;
      if (outranks) wroteBibliographic = true;
    }
    (out as unknown as Record<string, unknown>)[key] = value;
  }
  if (wroteBibliographic) out.metadataSource = source;
  // A version never goes backwards: an older record (a listing crawled before v2) keeps v2.
  if (base.version !== null && (out.version === null || out.version < base.version)) {
    out.version = base.version;
  }
  // Earliest announcement wins: a paper is "announced" once.
  if (base.announcedOn && out.announcedOn && base.announcedOn < out.announcedOn) {
    out.announcedOn = base.announcedOn;
  }
  return out;
}

function isEmpty(value: unknown): boolean {
  return value === null || value === "" || (Array.isArray(value) && value.length === 0);
}

/** Stable hash of every stored field; equal hashes mean an update would change nothing. */
export function paperHash(p: PaperFields): string {
  const h = createHash("sha1");
  h.update(
    JSON.stringify([
      p.arxivId,
      p.metadataSource,
      p.version,
      p.title,
      p.abstract,
      p.authors,
      p.categories,
      p.comment,
      p.journalRef,
      p.doi,
      p.submittedAt,
      p.updatedAt,
      p.announcedOn,
      p.codeUrl,
      p.codeStars,
      p.projectUrl,
    ]),
  );
  return h.digest("base64url");
}

/** Lower-cased, accent-folded, whitespace-collapsed form of an author name, for lookups. */
export function authorKey(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
}

// Control characters other than whitespace: U+0000–U+0008, U+000E–U+001F, U+007F.
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000e-\u001f\u007f]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const NEEDS_CLEANING = /\s\s|^\s|\s$|[\t\n\r\f\v\u00a0\u2000-\u200a\u2028\u2029\u3000\u0000-\u0008\u000e-\u001f\u007f]/;

/**
 * Collapses runs of whitespace and trims (titles and abstracts arrive with hard line breaks), and
 * drops control characters, which no title needs and which PostgreSQL (U+0000) and XML feeds
 * (U+0001–U+0008 and friends) refuse.
 */
export function normalizeSpace(text: string): string {
  // Most text arrives clean; testing first is several times cheaper than always replacing.
  if (!NEEDS_CLEANING.test(text)) {
    return text;
  }
  return text.replace(CONTROL_CHARACTERS, "").replace(/\s+/g, " ").trim();
}
