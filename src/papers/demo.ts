// Loads the bundled demo set (demo/, see its README) into an empty database, so a fresh
// `npm start` shows a full first page. Does nothing when the database already holds papers.
import { fileURLToPath } from "node:url";
import type { Db } from "../db/client.ts";
import { expandPaths, readJsonlFiles } from "./import/jsonl.ts";
import { type ImportReport, importItems } from "./import/run.ts";
import { countRows } from "./store.ts";

export const DEMO_DIR = fileURLToPath(new URL("../../demo/", import.meta.url));

/** Imports the demo set when there are no papers; returns the report, or null if it skipped. */
export async function loadDemoIfEmpty(db: Db): Promise<ImportReport | null> {
  const { papers } = await countRows(db);
  if (papers > 0) return null;
  // Listings first so the featurings that follow find their papers' categories already stored.
  const files = expandPaths([DEMO_DIR]).sort((a, b) => Number(a.includes("hf-daily")) - Number(b.includes("hf-daily")));
  return importItems(db, readJsonlFiles(files));
}
