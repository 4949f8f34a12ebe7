// `paperboy harvest`: reads arXiv's OAI-PMH ListRecords page by page (following resumption tokens)
// and upserts every record (source "oai-pmh"), with a checkpoint in the `harvests` table.
//
// Each page's records and the resumption token after it are committed in one transaction, so a
// harvest killed at any moment resumes exactly after the last page it stored. A failed run keeps its
// token and says so; running the same command again continues from there, and --restart discards
// the checkpoint.
import { type Db, inTransaction } from "../../db/client.ts";
import { checkRange, type MetadataPrefix, parseDay, parseMetadataPrefix, parseSetSpec } from "./arguments.ts";
import {
  deleteHarvest,
  failHarvest,
  finishHarvest,
  getHarvest,
  type HarvestSpec,
  harvestKey,
  resumeHarvest,
  saveCheckpoint,
  startHarvest,
} from "./harvests.ts";
import { type ArxivClient, ArxivHttpError, type HttpResponse, snippet } from "./http.ts";
import { OaiError, type OaiPage, parseOaiPage } from "./oai-records.ts";
import { emptyReport, type ImportReport, importItems, type Rejection } from "./run.ts";

export interface HarvestOptions {
  /** OAI set, such as cs or physics:hep-th (default: everything). */
  set?: string;
  /** First and last datestamp day, YYYY-MM-DD. */
  from?: string;
  until?: string;
  metadataPrefix?: MetadataPrefix;
  /** Discard a stored checkpoint and start from the first page. */
  restart?: boolean;
  onPage?: (page: { pages: number; recordsSeen: number; completeListSize: number | null }) => void;
  onRejected?: (r: Rejection) => void;
  /** Called before the first request when a stored checkpoint is continued. */
  onResume?: (checkpoint: { token: string; recordsSeen: number }) => void;
}

export interface HarvestResult {
  key: string;
  report: ImportReport;
  /** Pages read in this run. */
  pages: number;
  /** Records seen in this harvest so far, earlier runs included. */
  recordsSeen: number;
  /** Deleted records skipped in this run. */
  deleted: number;
  /** True when this run continued a stored checkpoint. */
  resumed: boolean;
}

/** The harvest stopped; progress up to the last stored page is kept in the checkpoint. */
export class HarvestError extends Error {
  constructor(
    message: string,
    readonly result: HarvestResult,
  ) {
    super(message);
    this.name = "HarvestError";
  }
}

/** Checks the options before anything is asked of the server; throws ArgumentError naming the option. */
export function checkHarvestOptions(options: HarvestOptions): Omit<HarvestSpec, "endpoint"> {
  const from = options.from === undefined ? null : parseDay(options.from, "--from");
  const until = options.until === undefined ? null : parseDay(options.until, "--until");
  checkRange(from ?? undefined, until ?? undefined, ["--from", "--until"]);
  return {
    metadataPrefix: parseMetadataPrefix(options.metadataPrefix ?? "arXiv"),
    set: options.set === undefined ? null : parseSetSpec(options.set),
    from,
    until,
  };
}

/** The harvest the options describe at an endpoint. */
export function harvestSpec(oaiUrl: string, options: HarvestOptions): HarvestSpec {
  return { endpoint: oaiUrl, ...checkHarvestOptions(options) };
}

/** The ListRecords URL: the first page from the selection, later pages from the token alone. */
export function listRecordsUrl(spec: HarvestSpec, token: string | null): string {
  const url = new URL(spec.endpoint);
  url.searchParams.set("verb", "ListRecords");
  if (token) {
    url.searchParams.set("resumptionToken", token);
    return url.toString();
  }
  url.searchParams.set("metadataPrefix", spec.metadataPrefix);
  if (spec.set) url.searchParams.set("set", spec.set);
  if (spec.from) url.searchParams.set("from", spec.from);
  if (spec.until) url.searchParams.set("until", spec.until);
  return url.toString();
}

/** Reads a response: the page on 200; an OAI error (some servers send them with 4xx) or an HTTP error otherwise. */
export function readOaiResponse(res: HttpResponse): OaiPage {
  if (res.status === 200) return parseOaiPage(res.body);
  let page: OaiPage | undefined;
  try {
    page = parseOaiPage(res.body);
  } catch (err) {
    if (err instanceof OaiError) throw err;
  }
  if (page?.noRecordsMatch) return page;
  throw new ArxivHttpError(
    `${res.url}: arXiv answered HTTP ${res.status}: ${snippet(res.body)}`,
    res.url,
    res.status,
    1,
  );
}

/** Runs (or resumes) a harvest to the end of the list; see the file comment. */
export async function harvest(
  db: Db,
  client: ArxivClient,
  oaiUrl: string,
  options: HarvestOptions = {},
): Promise<HarvestResult> {
  const spec = harvestSpec(oaiUrl, options);
  const key = harvestKey(spec);
  if (options.restart) await deleteHarvest(db, key);
  const stored = await getHarvest(db, key);
  const resumed = Boolean(stored && stored.status !== "done" && stored.resumption_token);
  let token: string | null = null;
  const result: HarvestResult = { key, report: emptyReport(), pages: 0, recordsSeen: 0, deleted: 0, resumed };
  if (stored && resumed) {
    token = stored.resumption_token;
    result.recordsSeen = stored.records_seen;
    await resumeHarvest(db, key);
    options.onResume?.({ token: token as string, recordsSeen: result.recordsSeen });
  } else {
    await startHarvest(db, spec);
  }

  try {
    for (;;) {
      const page = readOaiResponse(await client.get(listRecordsUrl(spec, token)));
      result.pages++;
      const recordsSeen = result.recordsSeen + page.records;
      // The page's records and the checkpoint after it commit together: a harvest killed at any
      // moment resumes exactly after the last page it stored.
      await inTransaction(db, async (tx) => {
        await importItems(
          tx,
          each(page.items),
          { batchSize: 5000, ...(options.onRejected ? { onRejected: options.onRejected } : {}) },
          result.report,
        );
        if (page.token === null) await finishHarvest(tx, key, recordsSeen);
        else await saveCheckpoint(tx, key, page.token, recordsSeen);
      });
      result.recordsSeen = recordsSeen;
      result.deleted += page.deleted;
      token = page.token;
      if (token === null) {
        options.onPage?.({
          pages: result.pages,
          recordsSeen: result.recordsSeen,
          completeListSize: page.completeListSize,
        });
        return result;
      }
      options.onPage?.({
        pages: result.pages,
        recordsSeen: result.recordsSeen,
        completeListSize: page.completeListSize,
      });
    }
  } catch (err) {
    const reason = (err as Error).message;
    await failHarvest(db, key, reason);
    const where = `page ${result.pages + 1} of this run`;
    const hint =
      err instanceof OaiError && err.code === "badResumptionToken"
        ? "The stored resumption token is no longer valid; run again with --restart to start over."
        : "Pages read so far are saved; run the same command again to resume from the checkpoint.";
    throw new HarvestError(`harvest failed on ${where}: ${reason}. ${hint}`, result);
  }
}

async function* each<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}
