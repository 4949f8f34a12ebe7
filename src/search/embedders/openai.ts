// An embedder that asks an OpenAI-compatible HTTP service (`POST {base}/v1/embeddings` with
// `{model, input: string[]}`): OpenAI itself, Ollama, vLLM, Hugging Face TEI, LocalAI. It sends
// texts in batches, retries 429 and 5xx answers with backoff (honouring Retry-After), gives up on a
// request after a timeout, checks every answer's shape and size, and L2-normalises the vectors.
import { type Embedder, type EmbedKind, normalize } from "../embedder.ts";
import { modelPreset, type Prefixes, withPrefix } from "./presets.ts";

export interface OpenAIEmbedderOptions {
  /** Base URL of the service, with or without a trailing `/v1` (e.g. `http://127.0.0.1:11434`). */
  baseUrl: string;
  /** Model name sent with every request; also names the embedder (`http:<model>`). */
  model: string;
  /** Sent as `Authorization: Bearer <key>` when set. */
  apiKey?: string;
  /** Expected vector length; when absent it is learnt from the first answer. */
  dims?: number;
  /** Texts per request (default 32, the default limit of Hugging Face TEI). */
  batchSize?: number;
  /** Milliseconds to wait for one answer, body included (default 120 000). */
  timeoutMs?: number;
  /** Further attempts after a 429, a 5xx, a timeout or a refused connection (default 4). */
  maxRetries?: number;
  /** First backoff delay in milliseconds, doubled on each retry (default 500). */
  baseDelayMs?: number;
  /** Longest wait before a retry, Retry-After included (default 60 000). */
  maxDelayMs?: number;
  /** Text put before queries and before documents; default: the model's preset (see presets.ts). */
  prefixes?: Partial<Prefixes>;
  /** How to wait between attempts; tests pass a recorder. */
  sleep?: (ms: number) => Promise<void>;
}

/** The service answered in a way this embedder cannot use, or not at all. */
export class EmbeddingServiceError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "EmbeddingServiceError";
  }
}

const RETRYABLE = new Set([408, 409, 425, 429, 500, 502, 503, 504]);

/** `{base}/v1/embeddings`, whether or not `base` already ends in `/v1` or `/v1/embeddings`. */
export function embeddingsUrl(baseUrl: string): string {
  const base = baseUrl.replace(/\/+$/, "");
  if (/\/v1\/embeddings$/.test(base)) return base;
  if (/\/v1$/.test(base)) return `${base}/embeddings`;
  return `${base}/v1/embeddings`;
}

export class OpenAIEmbedder implements Embedder {
  readonly id: string;
  readonly url: string;
  #dims: number | undefined;
  readonly #o: Required<Omit<OpenAIEmbedderOptions, "apiKey" | "dims" | "prefixes">>;
  readonly #apiKey: string | undefined;
  readonly #prefixes: Prefixes;

  constructor(options: OpenAIEmbedderOptions) {
    if (!options.model) throw new Error("the HTTP embedder needs a model name");
    this.url = embeddingsUrl(options.baseUrl);
    this.id = `http:${options.model}`;
    this.#dims = options.dims;
    this.#apiKey = options.apiKey || undefined;
    const preset = modelPreset(options.model);
    this.#prefixes = {
      query: options.prefixes?.query ?? preset.queryPrefix,
      document: options.prefixes?.document ?? preset.documentPrefix,
    };
    this.#o = {
      baseUrl: options.baseUrl,
      model: options.model,
      batchSize: Math.max(1, options.batchSize ?? 32),
      timeoutMs: options.timeoutMs ?? 120_000,
      maxRetries: Math.max(0, options.maxRetries ?? 4),
      baseDelayMs: options.baseDelayMs ?? 500,
      maxDelayMs: options.maxDelayMs ?? 60_000,
      sleep: options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
    };
  }

  /** Creates the embedder and, unless `dims` was given, learns it by embedding one short text. */
  static async connect(options: OpenAIEmbedderOptions): Promise<OpenAIEmbedder> {
    const embedder = new OpenAIEmbedder(options);
    if (embedder.#dims === undefined) await embedder.embed(["dimension probe"], "document");
    return embedder;
  }

  get dims(): number {
    if (this.#dims === undefined) {
      throw new Error(`${this.id}: vector length not known yet (create the embedder with OpenAIEmbedder.connect)`);
    }
    return this.#dims;
  }

  async embed(texts: string[], kind: EmbedKind): Promise<Float32Array[]> {
    const out: (Float32Array | undefined)[] = new Array(texts.length);
    const todo: number[] = [];
    texts.forEach((t, i) => {
      if (t.trim() !== "") todo.push(i); // a blank text is the zero vector; services reject it
    });
    const prefixed = withPrefix(texts, kind, this.#prefixes);
    for (let start = 0; start < todo.length; start += this.#o.batchSize) {
      const slots = todo.slice(start, start + this.#o.batchSize);
      const vectors = await this.#request(slots.map((i) => prefixed[i] as string));
      slots.forEach((slot, k) => {
        out[slot] = vectors[k];
      });
    }
    if (todo.length < texts.length && this.#dims === undefined) await this.embed(["dimension probe"], "document");
    return Array.from(out, (v) => v ?? new Float32Array(this.dims));
  }

  async #request(input: string[]): Promise<Float32Array[]> {
    const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
    if (this.#apiKey) headers.authorization = `Bearer ${this.#apiKey}`;
    const body = JSON.stringify({ model: this.#o.model, input });
    for (let attempt = 0; ; attempt++) {
      const tries = attempt === 0 ? "" : ` (after ${attempt + 1} attempts)`;
      const canRetry = attempt < this.#o.maxRetries;
      let res: Response;
      let text: string;
      try {
        res = await fetch(this.url, { method: "POST", headers, body, signal: AbortSignal.timeout(this.#o.timeoutMs) });
        text = await res.text();
      } catch (err) {
        const reason = describeFetchError(err, this.#o.timeoutMs);
        if (canRetry) {
          await this.#o.sleep(this.#backoff(attempt));
          continue;
        }
        throw new EmbeddingServiceError(`embedding service ${this.url}: ${reason}${tries}`);
      }
      if (!res.ok) {
        if (RETRYABLE.has(res.status) && canRetry) {
          const wait = retryAfterMs(res.headers.get("retry-after"));
          await this.#o.sleep(Math.min(wait ?? this.#backoff(attempt), this.#o.maxDelayMs));
          continue;
        }
        throw new EmbeddingServiceError(
          `embedding service ${this.url} answered HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ""}: ${serverMessage(text)}${tries}`,
          res.status,
        );
      }
      return this.#parse(text, input.length);
    }
  }

  #backoff(attempt: number): number {
    const ceiling = Math.min(this.#o.maxDelayMs, this.#o.baseDelayMs * 2 ** attempt);
    return ceiling / 2 + (Math.random() * ceiling) / 2;
  }

  #parse(text: string, expected: number): Float32Array[] {
    const where = `embedding service ${this.url}`;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new EmbeddingServiceError(`${where} answered malformed JSON: ${excerpt(text)}`);
    }
    const data = (json as { data?: unknown } | null)?.data;
    if (!Array.isArray(data)) {
      throw new EmbeddingServiceError(
        `${where} answered without a "data" array of embeddings (expected {"data": [{"embedding": [...]}]}): ${excerpt(text)}`,
      );
    }
    if (data.length !== expected) {
      throw new EmbeddingServiceError(`${where} returned ${data.length} embeddings for ${expected} texts`);
    }
    const ordered = orderByIndex(data, where);
    return ordered.map((item, i) => {
      const embedding = (item as { embedding?: unknown } | null)?.embedding;
      if (!Array.isArray(embedding) || embedding.length === 0) {
        throw new EmbeddingServiceError(`${where}: embedding ${i} is not a non-empty array of numbers`);
      }
      const v = new Float32Array(embedding.length);
      for (let d = 0; d < embedding.length; d++) {
        const x = embedding[d];
        if (typeof x !== "number" || !Number.isFinite(x)) {
          throw new EmbeddingServiceError(`${where}: embedding ${i} holds ${JSON.stringify(x)} at position ${d}`);
        }
        v[d] = x;
      }
      if (this.#dims === undefined) this.#dims = v.length;
      else if (v.length !== this.#dims) {
        throw new EmbeddingServiceError(
          `${where}: embedding ${i} has ${v.length} dimensions, expected ${this.#dims} (did the model change?)`,
        );
      }
      return normalize(v);
    });
  }
}

/** The items in `index` order when every item carries a distinct index, else as given. */
function orderByIndex(data: unknown[], where: string): unknown[] {
  const indexes = data.map((item) => (item as { index?: unknown } | null)?.index);
  if (indexes.every((x) => x === undefined)) return data;
  const ordered: unknown[] = new Array(data.length);
  indexes.forEach((x, k) => {
    if (typeof x !== "number" || !Number.isInteger(x) || x < 0 || x >= data.length || ordered[x] !== undefined) {
      throw new EmbeddingServiceError(
        `${where}: item ${k} has index ${JSON.stringify(x)}, not a distinct 0..${data.length - 1}`,
      );
    }
    ordered[x] = data[k];
  });
  return ordered;
}

/** Milliseconds a Retry-After header asks for (seconds or an HTTP date), or undefined. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The human part of an error body: OpenAI's error.message, TEI's and Ollama's error, vLLM's detail. */
export function serverMessage(text: string): string {
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    const candidates = [
      (json.error as { message?: unknown } | undefined)?.message,
      json.error,
      json.message,
      json.detail,
    ];
    for (const c of candidates) {
      if (typeof c === "string" && c) return c;
      if (Array.isArray(c) && c.length) return JSON.stringify(c);
    }
  } catch {
    // not JSON: show the text itself
  }
  return excerpt(text) || "(empty body)";
}

function excerpt(text: string, max = 300): string {
  const t = text.trim().replace(/\s+/g, " ");
  return t.length > max ? `${t.slice(0, max)}…` : t;
}

function describeFetchError(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === "TimeoutError") return `no answer within ${timeoutMs} ms`;
  const cause = e.cause?.code ?? e.cause?.message;
  return `could not reach the service (${cause ?? e.message ?? String(err)})`;
}
