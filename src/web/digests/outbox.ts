// Reading the `file:` outbox (MAIL_URL=file:FOLDER) for the admin pages: the newest .eml files
// with their date, recipient and subject, and one message's headers and plain-text part. Only
// names that look like .eml files directly inside the folder are ever opened (no path traversal),
// and only the text is shown, never the HTML. The MIME reading is the little needed for the
// messages OutboxTransport writes: folded headers, RFC 2047 words, multipart, base64 and
// quoted-printable.
import { open, readdir, readFile, stat } from "node:fs/promises";
import { isAbsolute, join, resolve, sep } from "node:path";
import type { Config } from "../../config/config.ts";

export interface OutboxEntry {
  name: string;
  /** The message's Date header, or the file's modification time. */
  date: string;
  to: string;
  subject: string;
  bytes: number;
}

export interface OutboxMessage {
  name: string;
  headers: [string, string][];
  /** The text/plain part, decoded; null when the message has none. */
  text: string | null;
}

/** Longest message the viewer opens, and how much of each file the listing reads for headers. */
const MAX_MESSAGE_BYTES = 5 * 1024 * 1024;
const HEAD_BYTES = 16 * 1024;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}\.eml$/;

/** The outbox folder of a `file:` MAIL_URL (resolved as the transport resolves it), or null. */
export function outboxFolder(config: Pick<Config, "mailUrl">, cwd = process.cwd()): string | null {
  if (!config.mailUrl.startsWith("file:")) return null;
  const folder = config.mailUrl.slice("file:".length);
  return isAbsolute(folder) ? folder : resolve(cwd, folder);
}

/** True for a plain file name of an .eml message: no separators, no "..". */
export function isOutboxName(name: string): boolean {
  return NAME.test(name) && !name.includes("..");
}

/** The newest `limit` messages, newest first, and how many there are in all. */
export async function listOutbox(folder: string, limit = 100): Promise<{ entries: OutboxEntry[]; total: number }> {
  let names: string[];
  try {
    names = (await readdir(folder)).filter(isOutboxName);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return { entries: [], total: 0 };
    throw err;
  }
  const files = await Promise.all(
    names.map(async (name) => {
      const s = await stat(join(folder, name));
      return { name, mtime: s.mtimeMs, bytes: s.size, isFile: s.isFile() };
    }),
  );
  const newest = files
    .filter((f) => f.isFile)
    .sort((a, b) => b.mtime - a.mtime || (a.name < b.name ? 1 : -1))
    .slice(0, limit);
  const entries = await Promise.all(
    newest.map(async (f) => {
      const handle = await open(join(folder, f.name), "r");
      try {
        const buf = Buffer.alloc(Math.min(HEAD_BYTES, f.bytes));
        await handle.read(buf, 0, buf.length, 0);
        const headers = parseHeaders(splitMessage(buf.toString("utf8")).head);
        const date = header(headers, "date");
        const parsed = date ? new Date(date) : null;
        return {
          name: f.name,
          date: parsed && !Number.isNaN(parsed.getTime()) ? parsed.toISOString() : new Date(f.mtime).toISOString(),
          to: header(headers, "to") ?? "",
          subject: header(headers, "subject") ?? "",
          bytes: f.bytes,
        };
      } finally {
        await handle.close();
      }
    }),
  );
  return { entries, total: files.length };
}

/** One message by file name; null when the name is not an outbox file or it does not exist. */
export async function readOutboxMessage(folder: string, name: string): Promise<OutboxMessage | null> {
  if (!isOutboxName(name)) return null;
  const root = resolve(folder);
  const path = resolve(root, name);
  if (!path.startsWith(root + sep)) return null;
  try {
    const s = await stat(path);
    if (!s.isFile() || s.size > MAX_MESSAGE_BYTES) return null;
  } catch {
    return null;
  }
  const raw = await readFile(path, "utf8");
  const { head, body } = splitMessage(raw);
  const headers = parseHeaders(head);
  return { name, headers, text: textPart(headers, body) };
}

function splitMessage(raw: string): { head: string; body: string } {
  const m = /\r?\n\r?\n/.exec(raw);
  if (!m) return { head: raw, body: "" };
  return { head: raw.slice(0, m.index), body: raw.slice(m.index + m[0].length) };
}

/** Unfolded headers in order, with RFC 2047 encoded words decoded. */
function parseHeaders(head: string): [string, string][] {
  const out: [string, string][] = [];
  for (const line of head.split(/\r?\n/)) {
    const last = out[out.length - 1];
    if (/^[ \t]/.test(line) && last) last[1] += ` ${line.trim()}`;
    else {
      const colon = line.indexOf(":");
      if (colon > 0) out.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
    }
  }
  return out.map(([k, v]) => [k, decodeWords(v)]);
}

function header(headers: [string, string][], name: string): string | undefined {
  return headers.find(([k]) => k.toLowerCase() === name)?.[1];
}

function decodeBytes(bytes: Buffer, charset: string): string {
  try {
    return new TextDecoder(charset.toLowerCase()).decode(bytes);
  } catch {
    return bytes.toString("utf8");
  }
}

/** `=?UTF-8?Q?...?=` and `=?UTF-8?B?...?=` words; whitespace between two such words is dropped. */
function decodeWords(value: string): string {
  return value
    .replace(/(\?=)\s+(=\?)/g, "$1$2")
    .replace(/=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=/g, (_, charset: string, enc: string, data: string) => {
      const bytes = enc.toUpperCase() === "B" ? Buffer.from(data, "base64") : qpBytes(data.replace(/_/g, " "), false);
      return decodeBytes(bytes, charset);
    });
}

function qpBytes(text: string, softBreaks = true): Buffer {
  const src = softBreaks ? text.replace(/=\r?\n/g, "") : text;
  const out: number[] = [];
  for (let i = 0; i < src.length; i++) {
    const hex = src[i] === "=" ? src.slice(i + 1, i + 3) : "";
    if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
      out.push(Number.parseInt(hex, 16));
      i += 2;
    } else out.push(...Buffer.from(src[i] ?? "", "utf8"));
  }
  return Buffer.from(out);
}

function param(value: string, name: string): string | null {
  return new RegExp(`${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, "i").exec(value)?.slice(1).find(Boolean) ?? null;
}

/** The first text/plain part of an entity (recursing into multiparts), decoded. */
function textPart(headers: [string, string][], body: string, depth = 0): string | null {
  const type = header(headers, "content-type") ?? "text/plain";
  const mime = type.split(";")[0]?.trim().toLowerCase() ?? "text/plain";
  if (mime.startsWith("multipart/")) {
    const boundary = param(type, "boundary");
    if (!boundary || depth > 5) return null;
    const parts = body.split(`--${boundary}`).slice(1);
    for (const part of parts) {
      if (part.startsWith("--")) break;
      const { head, body: inner } = splitMessage(part.replace(/^\r?\n/, ""));
      const found = textPart(parseHeaders(head), inner.replace(/\r?\n$/, ""), depth + 1);
      if (found !== null) return found;
    }
    return null;
  }
  if (mime !== "text/plain") return null;
  const encoding = (header(headers, "content-transfer-encoding") ?? "7bit").toLowerCase();
  const charset = param(type, "charset") ?? "utf-8";
  if (encoding === "base64") return decodeBytes(Buffer.from(body.replace(/\s+/g, ""), "base64"), charset);
  if (encoding === "quoted-printable") return decodeBytes(qpBytes(body), charset);
  return body;
}
