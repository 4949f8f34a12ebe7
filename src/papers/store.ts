// All writes of papers, authors, categories and featurings, and the basic reads of one paper.
// Importers hand batches of records to `upsertRecords`, which runs one transaction per batch: it
// reads what is stored, merges each record (model.ts), and writes only what changed, so importing
// the same data twice writes nothing. The same SQL runs on SQLite and PostgreSQL.
import { type Kysely, sql, type Transaction } from "kysely";
import { type Db, inTransaction } from "../db/client.ts";
import type { Database, PaperRow } from "../db/schema.ts";
import { authorKey, type FeaturingInput, type ImportRecord, mergePaper, type PaperFields, paperHash } from "./model.ts";
import { refreshSignals } from "./signals.ts";

export type RecordStatus = "inserted" | "updated" | "unchanged";

export interface UpsertResult {
  inserted: number;
  updated: number;
  unchanged: number;
  /** Ids of papers whose stored fields changed (new or updated): the search index follows these. */
  changedPaperIds: number[];
  /** Status of each record, in input order. */
  statuses: RecordStatus[];
}

type Trx = Transaction<Database> | Kysely<Database>;

/** Rows per multi-row statement: keeps every statement under both dialects' parameter limits. */
const ROWS_PER_STATEMENT = 400;

interface PaperState {
  id: number | null;
  fields: PaperFields;
  hash: string;
  dirty: boolean;
  authorsChanged: boolean;
  categoriesChanged: boolean;
  ref: string;
  source: string;
}

interface FeaturingState {
  paperId: number;
  day: string;
  next: Required<FeaturingInput>;
  changed: boolean;
  source: string;
}

/** Inserts or updates a batch of records in one transaction; see the file comment. */
export async function upsertRecords(db: Db, records: ImportRecord[], now: Date = new Date()): Promise<UpsertResult> {
  if (records.length === 0) {
    return { inserted: 0, updated: 0, unchanged: 0, changedPaperIds: [], statuses: [] };
  }
  return inTransaction(db, (tx) => upsertInTransaction(tx.kysely, records, now));
}

async function upsertInTransaction(trx: Trx, records: ImportRecord[], now: Date): Promise<UpsertResult> {
  const stamp = now.toISOString();
  const ids = [...new Set(records.map((r) => r.paper.arxivId))];
  const papers = new Map<string, PaperState>();
  for (const row of await selectPapersByArxivIds(trx, ids)) {
    const fields = rowToFields(row);
    papers.set(row.arxiv_id, {
      id: row.id,
      fields,
      hash: row.content_hash,
      dirty: false,
      authorsChanged: false,
      categoriesChanged: false,
      ref: "",
      source: row.source,
    });
  }

  // Merge every record in order; a paper that appears twice in a batch merges twice.
  const paperStatus: RecordStatus[] = [];
  for (const record of records) {
    const state = papers.get(record.paper.arxivId);
    const merged = mergePaper(state?.fields, record.paper, record.source);
    const hash = paperHash(merged);
    if (!state) {
      papers.set(record.paper.arxivId, {
        id: null,
        fields: merged,
        hash,
        dirty: true,
        authorsChanged: true,
        categoriesChanged: true,
        ref: record.ref,
        source: record.source,
      });
      paperStatus.push("inserted");
    } else if (hash !== state.hash) {
      state.authorsChanged ||= !sameList(state.fields.authors, merged.authors);
      state.categoriesChanged ||= !sameList(state.fields.categories, merged.categories);
      state.fields = merged;
      state.hash = hash;
      state.dirty = true;
      state.ref = record.ref;
      state.source = record.source;
      paperStatus.push(state.id === null ? "inserted" : "updated");
    } else {
      paperStatus.push("unchanged");
    }
  }

  const dirty = [...papers.values()].filter((p) => p.dirty);
  await writePapers(trx, dirty, stamp);
  await writeAuthors(
    trx,
    dirty.filter((p) => p.authorsChanged),
  );
  await writeCategories(
    trx,
    dirty.filter((p) => p.categoriesChanged),
  );

  const featuringStatus = await writeFeaturings(trx, records, papers, stamp);
  const featuredIds = records.flatMap((r) => (r.featuring ? [papers.get(r.paper.arxivId)?.id as number] : []));
  await refreshSignals(trx, featuredIds, now);

  const statuses = paperStatus.map((s, i) => {
    const f = featuringStatus[i];
    if (s !== "unchanged" || f === undefined || f === "unchanged") return s;
    return "updated";
  });
  return {
    inserted: statuses.filter((s) => s === "inserted").length,
    updated: statuses.filter((s) => s === "updated").length,
    unchanged: statuses.filter((s) => s === "unchanged").length,
    changedPaperIds: dirty.map((p) => p.id as number),
    statuses,
  };
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function chunks<T>(items: T[], size = ROWS_PER_STATEMENT): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Reads stored papers by canonical arXiv id. */
async function selectPapersByArxivIds(trx: Trx, ids: string[]): Promise<PaperRow[]> {
  const rows: PaperRow[] = [];
  for (const part of chunks(ids)) {
    rows.push(...(await trx.selectFrom("papers").selectAll().where("arxiv_id", "in", part).execute()));
  }
  return rows;
}

export function rowToFields(row: PaperRow): PaperFields {
  return {
    arxivId: row.arxiv_id,
    metadataSource: row.metadata_source,
    version: row.version,
    title: row.title,
    abstract: row.abstract,
    authors: JSON.parse(row.authors) as string[],
    categories: JSON.parse(row.categories) as string[],
    comment: row.comment,
    journalRef: row.journal_ref,
    doi: row.doi,
    submittedAt: row.submitted_at,
    updatedAt: row.updated_at,
    announcedOn: row.announced_on,
    codeUrl: row.code_url,
    codeStars: row.code_stars,
    projectUrl: row.project_url,
  };
}

/** Writes new and changed papers with one multi-row upsert per chunk, and learns new ids. */
async function writePapers(trx: Trx, dirty: PaperState[], stamp: string) {
  for (const part of chunks(dirty)) {
    const rows = part.map((p) => ({
      arxiv_id: p.fields.arxivId,
      metadata_source: p.fields.metadataSource,
      version: p.fields.version,
      title: p.fields.title,
      abstract: p.fields.abstract,
      authors: JSON.stringify(p.fields.authors),
      categories: JSON.stringify(p.fields.categories),
      primary_category: p.fields.categories[0] ?? null,
      comment: p.fields.comment,
      journal_ref: p.fields.journalRef,
      doi: p.fields.doi,
      submitted_at: p.fields.submittedAt,
      updated_at: p.fields.updatedAt,
      announced_on: p.fields.announcedOn,
      code_url: p.fields.codeUrl,
      code_stars: p.fields.codeStars,
      project_url: p.fields.projectUrl,
      source: p.source,
      provenance: JSON.stringify({ source: p.source, ref: p.ref }),
      content_hash: p.hash,
      created_at: stamp,
      modified_at: stamp,
    }));
    const returned = await trx
      .insertInto("papers")
      .values(rows)
      .onConflict((oc) =>
        oc.column("arxiv_id").doUpdateSet((eb) => ({
          metadata_source: eb.ref("excluded.metadata_source"),
          version: eb.ref("excluded.version"),
          title: eb.ref("excluded.title"),
          abstract: eb.ref("excluded.abstract"),
          authors: eb.ref("excluded.authors"),
          categories: eb.ref("excluded.categories"),
          primary_category: eb.ref("excluded.primary_category"),
          comment: eb.ref("excluded.comment"),
          journal_ref: eb.ref("excluded.journal_ref"),
          doi: eb.ref("excluded.doi"),
          submitted_at: eb.ref("excluded.submitted_at"),
          updated_at: eb.ref("excluded.updated_at"),
          announced_on: eb.ref("excluded.announced_on"),
          code_url: eb.ref("excluded.code_url"),
          code_stars: eb.ref("excluded.code_stars"),
          project_url: eb.ref("excluded.project_url"),
          provenance: eb.ref("excluded.provenance"),
          content_hash: eb.ref("excluded.content_hash"),
          modified_at: eb.ref("excluded.modified_at"),
        })),
      )
      .returning(["id", "arxiv_id"])
      .execute();
    const byArxiv = new Map(returned.map((r) => [r.arxiv_id, r.id]));
    for (const p of part) p.id = byArxiv.get(p.fields.arxivId) ?? p.id;
  }
}

/** Replaces the ordered author list of each paper, creating author rows as needed. */
async function writeAuthors(trx: Trx, changed: PaperState[]) {
  if (changed.length === 0) return;
  const names = [...new Set(changed.flatMap((p) => p.fields.authors))];
  const idByName = new Map<string, number>();
  for (const part of chunks(names)) {
    await trx
      .insertInto("authors")
      .values(part.map((name) => ({ name, name_key: authorKey(name) })))
      .onConflict((oc) => oc.column("name").doNothing())
      .execute();
    const rows = await trx.selectFrom("authors").select(["id", "name"]).where("name", "in", part).execute();
    for (const r of rows) idByName.set(r.name, r.id);
  }
  const paperIds = changed.map((p) => p.id as number);
  for (const part of chunks(paperIds)) {
    await trx.deleteFrom("paper_authors").where("paper_id", "in", part).execute();
  }
  const links = changed.flatMap((p) =>
    dedupe(p.fields.authors).map((name, position) => ({
      paper_id: p.id as number,
      position,
      author_id: idByName.get(name) as number,
    })),
  );
  for (const part of chunks(links)) await trx.insertInto("paper_authors").values(part).execute();
}

/** Replaces the category rows of each paper (position 0 is the primary category). */
async function writeCategories(trx: Trx, changed: PaperState[]) {
  if (changed.length === 0) return;
  const paperIds = changed.map((p) => p.id as number);
  for (const part of chunks(paperIds)) {
    await trx.deleteFrom("paper_categories").where("paper_id", "in", part).execute();
  }
  const rows = changed.flatMap((p) =>
    dedupe(p.fields.categories).map((category, position) => ({
      paper_id: p.id as number,
      category,
      position,
    })),
  );
  for (const part of chunks(rows)) await trx.insertInto("paper_categories").values(part).execute();
}

function dedupe(list: string[]): string[] {
  return [...new Set(list)];
}

/** Upserts Daily Papers featurings; returns each record's featuring status (undefined: none). */
async function writeFeaturings(
  trx: Trx,
  records: ImportRecord[],
  papers: Map<string, PaperState>,
  stamp: string,
): Promise<(RecordStatus | undefined)[]> {
  const featured = records.filter((r) => r.featuring);
  if (featured.length === 0) return records.map(() => undefined);
  const paperIds = [...new Set(featured.map((r) => papers.get(r.paper.arxivId)?.id as number))];
  const stored = new Map<string, Required<FeaturingInput>>();
  for (const part of chunks(paperIds)) {
    const rows = await trx
      .selectFrom("featurings")
      .select(["paper_id", "day", "submitted_by", "submitted_at", "upvotes", "num_comments", "organization"])
      .where("paper_id", "in", part)
      .execute();
    for (const r of rows) {
      stored.set(`${r.paper_id}|${r.day}`, {
        day: r.day,
        submittedBy: r.submitted_by,
        submittedAt: r.submitted_at,
        upvotes: r.upvotes,
        numComments: r.num_comments,
        organization: r.organization,
      });
    }
  }

  const states = new Map<string, FeaturingState>();
  const statuses: (RecordStatus | undefined)[] = [];
  for (const record of records) {
    const f = record.featuring;
    if (!f) {
      statuses.push(undefined);
      continue;
    }
    const paperId = papers.get(record.paper.arxivId)?.id as number;
    const key = `${paperId}|${f.day}`;
    const prior = states.get(key)?.next ?? stored.get(key) ?? null;
    const next: Required<FeaturingInput> = {
      day: f.day,
      submittedBy: f.submittedBy !== undefined ? f.submittedBy : (prior?.submittedBy ?? null),
      submittedAt: f.submittedAt !== undefined ? f.submittedAt : (prior?.submittedAt ?? null),
      upvotes: f.upvotes ?? prior?.upvotes ?? 0,
      numComments: f.numComments ?? prior?.numComments ?? 0,
      organization: f.organization !== undefined ? f.organization : (prior?.organization ?? null),
    };
    const changed = !prior || JSON.stringify(prior) !== JSON.stringify(next);
    statuses.push(!prior ? "inserted" : changed ? "updated" : "unchanged");
    const existing = states.get(key);
    states.set(key, {
      paperId,
      day: f.day,
      next,
      changed: (existing?.changed ?? false) || changed,
      source: record.source,
    });
  }

  const rows = [...states.values()]
    .filter((s) => s.changed)
    .map((s) => ({
      paper_id: s.paperId,
      day: s.day,
      submitted_by: s.next.submittedBy,
      submitted_at: s.next.submittedAt,
      upvotes: s.next.upvotes,
      num_comments: s.next.numComments,
      organization: s.next.organization,
      source: s.source,
      created_at: stamp,
      modified_at: stamp,
    }));
  for (const part of chunks(rows)) {
    await trx
      .insertInto("featurings")
      .values(part)
      .onConflict((oc) =>
        oc.columns(["day", "paper_id"]).doUpdateSet((eb) => ({
          submitted_by: eb.ref("excluded.submitted_by"),
          submitted_at: eb.ref("excluded.submitted_at"),
          upvotes: eb.ref("excluded.upvotes"),
          num_comments: eb.ref("excluded.num_comments"),
          organization: eb.ref("excluded.organization"),
          modified_at: eb.ref("excluded.modified_at"),
        })),
      )
      .execute();
  }
  return statuses;
}

/** One paper by canonical arXiv id, or undefined. */
export async function getPaperByArxivId(db: Db, arxivId: string): Promise<PaperRow | undefined> {
  return db.kysely.selectFrom("papers").selectAll().where("arxiv_id", "=", arxivId).executeTakeFirst();
}

/** Number of papers and featurings stored, for `paperboy stats` and the demo loader. */
export async function countRows(db: Db): Promise<{ papers: number; featurings: number; authors: number }> {
  const q = (table: "papers" | "featurings" | "authors") =>
    db.kysely
      .selectFrom(table)
      .select(sql<number>`count(*)`.as("n"))
      .executeTakeFirstOrThrow()
      .then((r) => Number(r.n));
  const [papers, featurings, authors] = await Promise.all([q("papers"), q("featurings"), q("authors")]);
  return { papers, featurings, authors };
}
