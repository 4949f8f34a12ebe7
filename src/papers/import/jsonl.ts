// Streams JSONL and JSONL.gz files (or every such file in a folder) as import records, one line at a
// time so memory stays flat. A bad line becomes a rejection naming file:line and the reason; a file
// that cannot be read (missing, not gzip, truncated) stops that file with a clear error.
import { closeSync, createReadStream, openSync, readdirSync, readSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { createInterface } from "node:readline";
import { createGunzip } from "node:zlib";
import type { ImportRecord } from "../model.ts";
import { parseRecord } from "./formats.ts";

export type SourceItem =
  | { kind: "record"; record: ImportRecord }
  | { kind: "rejected"; ref: string; reason: string }
  | { kind: "file-failed"; file: string; reason: string };

/** Thrown before anything is imported when a path given on the command line is unusable. */
export class InputError extends Error {
  override name = "InputError";
}

const DATA_FILE = /\.jsonl(\.gz)?$/;

/** Expands paths (files or folders) to the data files they hold, in name order. */
export function expandPaths(paths: string[]): string[] {
  const files: string[] = [];
  for (const path of paths) {
    let stat: ReturnType<typeof statSync>;
    try {
      stat = statSync(path);
    } catch {
      throw new InputError(`${path}: no such file or folder`);
    }
    if (stat.isDirectory()) {
      const inside = readdirSync(path)
        .filter((n) => DATA_FILE.test(n))
        .sort()
        .map((n) => join(path, n));
      if (inside.length === 0) throw new InputError(`${path}: folder holds no .jsonl or .jsonl.gz files`);
      files.push(...inside);
    } else {
      files.push(path);
    }
  }
  return files;
}

function isGzip(file: string): boolean {
  const fd = openSync(file, "r");
  try {
    const head = Buffer.alloc(2);
    return readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

export interface ReadProgress {
  /** Compressed bytes read so far across all files, for a progress bar over total file size. */
  bytes: number;
}

/** Yields every record of every file; `progress.bytes` advances as files are read. */
export async function* readJsonlFiles(
  files: string[],
  progress: ReadProgress = { bytes: 0 },
): AsyncGenerator<SourceItem> {
  for (const file of files) {
    const name = basename(file);
    const gz = file.endsWith(".gz");
    if (gz && !isGzip(file)) {
      yield { kind: "file-failed", file, reason: "not a gzip file (wrong magic bytes)" };
      progress.bytes += statSync(file).size;
      continue;
    }
    const raw = createReadStream(file, { highWaterMark: 1 << 20 });
    const base = progress.bytes;
    raw.on("data", () => {
      progress.bytes = base + raw.bytesRead;
    });
    const input = gz ? raw.pipe(createGunzip()) : raw;
    // readline does not forward errors from the piped source; remember them and stop the loop.
    let streamError: Error | null = null;
    const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
    const fail = (err: Error) => {
      streamError = err;
      lines.close();
    };
    raw.on("error", fail);
    input.on("error", fail);
    let lineNo = 0;
    try {
      for await (const line of lines) {
        lineNo++;
        if (line.trim() === "") continue;
        const ref = `${name}:${lineNo}`;
        let value: unknown;
        try {
          value = JSON.parse(line);
        } catch (err) {
          yield { kind: "rejected", ref, reason: `invalid JSON (${(err as Error).message})` };
          continue;
        }
        const parsed = parseRecord(value, ref);
        if (parsed.ok) yield { kind: "record", record: parsed.record };
        else yield { kind: "rejected", ref, reason: parsed.reason };
      }
    } catch (err) {
      streamError ??= err as Error;
    }
    if (streamError) {
      const e = streamError as Error & { code?: string };
      const what = e.code === "Z_BUF_ERROR" || /unexpected end/i.test(e.message) ? "truncated gzip file" : e.message;
      yield { kind: "file-failed", file, reason: `${what} after line ${lineNo}` };
    }
    progress.bytes = base + statSync(file).size;
  }
}
