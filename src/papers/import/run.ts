// Drives any importer: takes a stream of records and rejections, writes records in batches (one
// transaction each, so a failure never leaves half a batch), and keeps the report: inserted /
// updated / unchanged / rejected, with file:line and reason for every rejection.
import type { Db } from "../../db/client.ts";
import type { ImportRecord } from "../model.ts";
import { type UpsertResult, upsertRecords } from "../store.ts";
import type { SourceItem } from "./jsonl.ts";

export interface Rejection {
  ref: string;
  reason: string;
}

export interface ImportReport {
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  /** The first MAX_KEPT rejections (all of them are passed to onRejected). */
  rejections: Rejection[];
  failedFiles: { file: string; reason: string }[];
  /** Ids of papers created or changed, for the search index to follow. */
  changedPaperIds: number[];
}

export interface ImportOptions {
  /** Records per transaction (default 2000). */
  batchSize?: number;
  onRejected?: (r: Rejection) => void;
  onFileFailed?: (f: { file: string; reason: string }) => void;
  /** Called after each committed batch with its result and the running report. */
  afterBatch?: (result: UpsertResult, report: ImportReport) => void | Promise<void>;
}

const MAX_KEPT = 1000;

export function emptyReport(): ImportReport {
  return { inserted: 0, updated: 0, unchanged: 0, rejected: 0, rejections: [], failedFiles: [], changedPaperIds: [] };
}

/** Consumes `items` to the end, writing records in batches. */
export async function importItems(
  db: Db,
  items: AsyncIterable<SourceItem>,
  options: ImportOptions = {},
  report: ImportReport = emptyReport(),
): Promise<ImportReport> {
  const size = options.batchSize ?? 2000;
  let batch: ImportRecord[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const result = await upsertRecords(db, batch);
    batch = [];
    report.inserted += result.inserted;
    report.updated += result.updated;
    report.unchanged += result.unchanged;
    for (const id of result.changedPaperIds) report.changedPaperIds.push(id);
    await options.afterBatch?.(result, report);
  };
  for await (const item of items) {
    if (item.kind === "record") {
      batch.push(item.record);
      if (batch.length >= size) await flush();
    } else if (item.kind === "rejected") {
      report.rejected++;
      if (report.rejections.length < MAX_KEPT) report.rejections.push({ ref: item.ref, reason: item.reason });
      options.onRejected?.({ ref: item.ref, reason: item.reason });
    } else {
      report.failedFiles.push({ file: item.file, reason: item.reason });
      options.onFileFailed?.({ file: item.file, reason: item.reason });
    }
  }
  await flush();
  return report;
}

/** One line summing up a report, for logs and the command line. */
export function summarize(report: ImportReport): string {
  const parts = [
    `${report.inserted} inserted`,
    `${report.updated} updated`,
    `${report.unchanged} unchanged`,
    `${report.rejected} rejected`,
  ];
  if (report.failedFiles.length > 0) parts.push(`${report.failedFiles.length} file(s) failed`);
  return parts.join(", ");
}
