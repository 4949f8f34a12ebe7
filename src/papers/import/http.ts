// The polite HTTP client every arXiv importer goes through. arXiv asks machines for at most one
// request every three seconds on a single connection, so this client:
// - sends requests one at a time over ONE keep-alive connection (an undici Agent with connections: 1),
// - waits at least `minIntervalMs` between the end of one response and the start of the next request
//   (stricter than start-to-start spacing, and what arXiv's own examples do),
// - names itself in the User-Agent and asks for gzip,
// - retries 429/500/502/503/504, connection errors, timeouts and truncated bodies with exponential
//   backoff, honouring Retry-After (seconds or an HTTP date), for a bounded number of attempts, and
//   then fails with an error saying what happened on the last attempt.
// Other statuses (200, 400, 404, ...) are returned to the caller, which knows what they mean.
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { gunzipSync } from "node:zlib";
import { Agent, request } from "undici";

export const USER_AGENT = "Paperboy/0.1.0 (self-hosted research-paper discovery; polite arXiv client)";

/** Statuses that mean "try again later". */
const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);

export interface ArxivClientOptions {
  /** Least time between the end of one response and the next request (config ARXIV_MIN_INTERVAL_MS). */
  minIntervalMs: number;
  /** Attempts per request, the first included (default 5). */
  maxAttempts?: number;
  /** First backoff delay; doubles on each retry (default 2000 ms). */
  retryBaseMs?: number;
  /** Longest backoff delay (default 60 s). */
  retryMaxMs?: number;
  /** Longest Retry-After this client is willing to wait; a longer one fails at once (default 10 min). */
  maxRetryAfterMs?: number;
  /** Time allowed for the response headers, then for each gap in the body (default 60 s). */
  timeoutMs?: number;
  userAgent?: string;
}

export interface HttpResponse {
  url: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Attempts this response took (1 when the first one succeeded). */
  attempts: number;
}

/** A request that could not be completed: every attempt failed, or the server asked for too long a pause. */
export class ArxivHttpError extends Error {
  constructor(
    message: string,
    readonly url: string,
    readonly status: number | null,
    readonly attempts: number,
  ) {
    super(message);
    this.name = "ArxivHttpError";
  }
}

/** A response that cannot be used as is and may be fine on another try (truncated, empty). */
class RetryableBodyError extends Error {}

export class ArxivClient {
  readonly options: Required<ArxivClientOptions>;
  private readonly agent: Agent;
  /** When (performance.now) the next request may start. */
  private nextStartAt = 0;
  /** Chains requests so that only one is ever in flight. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: ArxivClientOptions) {
    this.options = {
      maxAttempts: 5,
      retryBaseMs: 2000,
      retryMaxMs: 60_000,
      maxRetryAfterMs: 600_000,
      timeoutMs: 60_000,
      userAgent: USER_AGENT,
      ...options,
    };
    this.agent = new Agent({
      connections: 1,
      pipelining: 1,
      keepAliveTimeout: 60_000,
      headersTimeout: this.options.timeoutMs,
      bodyTimeout: this.options.timeoutMs,
    });
  }

  /** GETs `url`, waiting its turn and retrying as described in the file comment. */
  get(url: string | URL): Promise<HttpResponse> {
    const run = this.queue.then(() => this.withRetries(String(url)));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Closes the connection; pending requests finish first. */
  async close(): Promise<void> {
    await this.queue;
    await this.agent.close();
  }

  private async withRetries(url: string): Promise<HttpResponse> {
    const { maxAttempts } = this.options;
    let lastProblem = "";
    let lastStatus: number | null = null;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      await this.waitTurn();
      let retryAfterMs: number | null = null;
      try {
        const res = await this.once(url);
        if (!RETRY_STATUSES.has(res.status)) return { ...res, attempts: attempt };
        lastStatus = res.status;
        lastProblem = `HTTP ${res.status}`;
        retryAfterMs = parseRetryAfter(res.headers["retry-after"]);
        if (retryAfterMs !== null && retryAfterMs > this.options.maxRetryAfterMs) {
          throw new ArxivHttpError(
            `${url}: arXiv answered HTTP ${res.status} and asked to wait ${Math.round(retryAfterMs / 1000)} s ` +
              `(Retry-After), longer than the ${Math.round(this.options.maxRetryAfterMs / 1000)} s this client waits; try again later`,
            url,
            res.status,
            attempt,
          );
        }
      } catch (err) {
        if (err instanceof ArxivHttpError) throw err;
        if ((err as { code?: string }).code === "UND_ERR_INVALID_ARG") {
          throw new ArxivHttpError(`${url}: cannot be requested: ${(err as Error).message}`, url, null, attempt);
        }
        lastStatus = null;
        lastProblem = describeNetworkError(err);
      } finally {
        this.nextStartAt = performance.now() + this.options.minIntervalMs;
      }
      if (attempt === maxAttempts) break;
      const backoff = Math.min(this.options.retryBaseMs * 2 ** (attempt - 1), this.options.retryMaxMs);
      const delay = retryAfterMs ?? backoff;
      this.nextStartAt = Math.max(this.nextStartAt, performance.now() + delay);
    }
    throw new ArxivHttpError(
      `${url}: gave up after ${maxAttempts} attempt(s); last: ${lastProblem}`,
      url,
      lastStatus,
      maxAttempts,
    );
  }

  private async waitTurn() {
    // Timers may fire a little early by performance.now(); loop until the turn has really come.
    for (let wait = this.nextStartAt - performance.now(); wait > 0; wait = this.nextStartAt - performance.now()) {
      await sleep(Math.ceil(wait));
    }
  }

  private async once(url: string): Promise<Omit<HttpResponse, "attempts">> {
    const res = await request(url, {
      method: "GET",
      dispatcher: this.agent,
      maxRedirections: 3,
      headers: { "user-agent": this.options.userAgent, "accept-encoding": "gzip" },
    });
    const chunks: Buffer[] = [];
    let received = 0;
    try {
      for await (const chunk of res.body) {
        chunks.push(chunk as Buffer);
        received += (chunk as Buffer).length;
      }
    } catch (err) {
      const expected = headerValue(res.headers["content-length"]);
      throw new RetryableBodyError(
        `truncated body: ${received}${expected ? ` of ${expected}` : ""} bytes arrived (${describeNetworkError(err)})`,
      );
    }
    const raw = Buffer.concat(chunks);
    let bytes = raw;
    if (headerValue(res.headers["content-encoding"])?.toLowerCase() === "gzip") {
      try {
        bytes = gunzipSync(raw);
      } catch (err) {
        throw new RetryableBodyError(`truncated or corrupt gzip body (${(err as Error).message})`);
      }
    }
    const body = bytes.toString("utf8");
    // arXiv's API sometimes answers 200 with nothing at all; another try usually brings the page.
    if (res.statusCode === 200 && body.trim() === "") throw new RetryableBodyError("empty response body");
    return { url, status: res.statusCode, headers: res.headers, body };
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Retry-After as milliseconds from `now`: delta seconds or an HTTP date; null when absent or invalid. */
export function parseRetryAfter(value: string | string[] | undefined, now: number = Date.now()): number | null {
  const text = headerValue(value)?.trim();
  if (!text) return null;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now);
}

function describeNetworkError(err: unknown): string {
  if (err instanceof RetryableBodyError) return err.message;
  const e = err as Error & { code?: string };
  switch (e.code) {
    case "UND_ERR_RES_CONTENT_LENGTH_MISMATCH":
      return "truncated body (fewer bytes than Content-Length)";
    case "UND_ERR_SOCKET":
      return `connection closed: ${e.message}`;
    case "UND_ERR_HEADERS_TIMEOUT":
      return "timed out waiting for the response headers";
    case "UND_ERR_BODY_TIMEOUT":
      return "timed out while reading the response body";
    case "UND_ERR_CONNECT_TIMEOUT":
      return "timed out connecting";
    default:
      return e.code ? `${e.code}: ${e.message}` : (e.message ?? String(err));
  }
}

/** Clients shared per setting, so that every caller in a process keeps to the same pace. */
const shared = new Map<string, ArxivClient>();

/** The process-wide client for a given pace (used when a caller does not bring its own). */
export function sharedArxivClient(minIntervalMs: number): ArxivClient {
  const key = String(minIntervalMs);
  let client = shared.get(key);
  if (!client) {
    client = new ArxivClient({ minIntervalMs });
    shared.set(key, client);
  }
  return client;
}

/** The first `max` characters of a body, on one line, for error messages. */
export function snippet(body: string, max = 200): string {
  const one = body.replace(/\s+/g, " ").trim();
  return one.length > max ? `${one.slice(0, max)}…` : one;
}
