// Fetches single papers from the arXiv API by id or URL (`paperboy fetch`, and later the "submit a
// paper" page). The latest version is always asked for (a version in the input is ignored), so a
// newer version updates the stored paper. Several ids go in one `id_list` request; an id arXiv does
// not know comes back as a "not found on arXiv" outcome rather than an error.
import type { Config } from "../../config/config.ts";
import type { Db } from "../../db/client.ts";
import { parseArxivId } from "../arxiv-id.ts";
import type { ImportRecord } from "../model.ts";
import { getPaperByArxivId, upsertRecords } from "../store.ts";
import { API_SOURCE, readAtomResponse } from "./arxiv-api.ts";
import { ArxivApiError, type EntryResult } from "./atom.ts";
import { type ArxivClient, sharedArxivClient } from "./http.ts";

export type FetchOutcome =
  | {
      status: "inserted" | "updated" | "unchanged";
      input: string;
      arxivId: string;
      version: number | null;
      title: string;
      paperId: number;
    }
  | { status: "not-found" | "invalid" | "rejected"; input: string; arxivId: string | null; message: string };

export type FetchConfig = Pick<Config, "arxivApiUrl" | "arxivMinIntervalMs">;

export interface FetchOptions {
  /** The client to use; by default one shared by the whole process, so every caller keeps arXiv's pace. */
  client?: ArxivClient;
}

/** Ids per request: keeps the URL short. */
const IDS_PER_REQUEST = 50;

/** Fetches one paper by arXiv id or URL and stores it; see the file comment. */
export async function fetchPaper(
  db: Db,
  config: FetchConfig,
  idOrUrl: string,
  options: FetchOptions = {},
): Promise<FetchOutcome> {
  const [outcome] = await fetchPapers(db, config, [idOrUrl], options);
  return outcome as FetchOutcome;
}

/** Fetches papers by id or URL, one outcome per input in input order. Network failures throw ArxivHttpError. */
export async function fetchPapers(
  db: Db,
  config: FetchConfig,
  inputs: string[],
  options: FetchOptions = {},
): Promise<FetchOutcome[]> {
  const client = options.client ?? sharedArxivClient(config.arxivMinIntervalMs);
  const ids = [...new Set(inputs.map((i) => parseArxivId(i)?.id).filter((id): id is string => Boolean(id)))];
  const found = new Map<string, EntryResult>();
  const refused = new Map<string, string>();
  for (let i = 0; i < ids.length; i += IDS_PER_REQUEST) {
    await lookUp(client, config.arxivApiUrl, ids.slice(i, i + IDS_PER_REQUEST), found, refused);
  }

  const records: ImportRecord[] = [];
  for (const entry of found.values()) {
    if (entry.ok) records.push({ paper: entry.paper, ref: `arxiv-api:${entry.ref}`, source: API_SOURCE });
  }
  const result = await upsertRecords(db, records);
  const statusById = new Map(records.map((r, i) => [r.paper.arxivId, result.statuses[i]]));

  const outcomes: FetchOutcome[] = [];
  for (const input of inputs) {
    const parsed = parseArxivId(input);
    if (!parsed) {
      outcomes.push({
        status: "invalid",
        input,
        arxivId: null,
        message: `not an arXiv id or URL: ${JSON.stringify(input)}`,
      });
      continue;
    }
    const entry = found.get(parsed.id);
    const why = refused.get(parsed.id);
    if (why) {
      outcomes.push({ status: "invalid", input, arxivId: parsed.id, message: why });
    } else if (!entry) {
      outcomes.push({ status: "not-found", input, arxivId: parsed.id, message: `${parsed.id} not found on arXiv` });
    } else if (!entry.ok) {
      outcomes.push({ status: "rejected", input, arxivId: parsed.id, message: `${entry.ref}: ${entry.reason}` });
    } else {
      const row = await getPaperByArxivId(db, parsed.id);
      if (!row) throw new Error(`${parsed.id} was stored but cannot be read back`);
      outcomes.push({
        status: statusById.get(parsed.id) ?? "unchanged",
        input,
        arxivId: parsed.id,
        version: row.version,
        title: row.title,
        paperId: row.id,
      });
    }
  }
  return outcomes;
}

/**
 * Asks for `ids` in one request and files each entry under its id. arXiv refuses a whole request
 * when one id is malformed in its eyes; then each id is asked for alone, so the others still come.
 */
async function lookUp(
  client: ArxivClient,
  apiUrl: string,
  ids: string[],
  found: Map<string, EntryResult>,
  refused: Map<string, string>,
) {
  const url = new URL(apiUrl);
  url.searchParams.set("id_list", ids.join(","));
  url.searchParams.set("max_results", String(ids.length));
  let entries: EntryResult[];
  try {
    entries = readAtomResponse(await client.get(url)).entries;
  } catch (err) {
    if (!(err instanceof ArxivApiError)) throw err;
    if (ids.length === 1) {
      refused.set(ids[0] as string, err.message);
      return;
    }
    for (const id of ids) await lookUp(client, apiUrl, [id], found, refused);
    return;
  }
  const wanted = new Set(ids);
  for (const entry of entries) {
    const id = entry.ok ? entry.paper.arxivId : parseArxivId(entry.ref)?.id;
    if (id && wanted.has(id)) found.set(id, entry);
  }
}
