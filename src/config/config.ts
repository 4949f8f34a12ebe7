// The one place Paperboy reads its environment. Every setting is declared here with its default and
// its meaning; `loadConfig` validates them all and reports every bad value by variable name.
// README.md's configuration table is generated from SETTINGS (see `paperboy config --markdown`).
import { isAbsolute, resolve } from "node:path";
import { z } from "zod";

const port = z.coerce
  .number({ message: "must be a number" })
  .int("must be a whole number")
  .min(1, "must be between 1 and 65535")
  .max(65535, "must be between 1 and 65535");

const databaseUrl = z.string().refine((v) => /^sqlite:.+/.test(v) || /^postgres(ql)?:\/\/.+/.test(v), {
  message: "must be sqlite:PATH or postgres://user:pass@host/db",
});

const mailUrl = z.string().refine((v) => /^(smtps?:\/\/.+|file:.+)$/.test(v), {
  message: "must be smtp://user:pass@host:port, smtps://... or file:FOLDER",
});

const httpUrl = z.string().refine(
  (v) => {
    try {
      const u = new URL(v);
      return u.protocol === "http:" || u.protocol === "https:";
    } catch {
      return false;
    }
  },
  { message: "must be an absolute http:// or https:// URL" },
);

/** Every environment variable Paperboy reads: its schema, default and meaning. */
export const SETTINGS = {
  DATABASE_URL: {
    schema: databaseUrl,
    default: "sqlite:data/paperboy.db",
    doc: "Where papers and everything else live: `sqlite:PATH` (embedded, one file, relative to the working directory or absolute) or `postgres://user:pass@host:5432/db` for several processes.",
  },
  DATA_DIR: {
    schema: z.string().min(1, "must not be empty"),
    default: "data",
    doc: "Folder for files kept beside the database: the search index files.",
  },
  HOST: {
    schema: z.string().min(1, "must not be empty"),
    default: "127.0.0.1",
    doc: "Interface the web server listens on. Set `0.0.0.0` to accept connections from other machines.",
  },
  PORT: { schema: port, default: "3000", doc: "TCP port of the web server." },
  BASE_URL: {
    schema: httpUrl,
    default: "",
    doc: "Public URL of this instance, used in emails, feeds and links (default `http://localhost:PORT`).",
  },
  MAIL_URL: {
    schema: mailUrl,
    default: "file:data/outbox",
    doc: "How mail leaves: `smtp://user:pass@host:587` (STARTTLS), `smtps://...:465`, or `file:FOLDER` to write `.eml` files to an outbox folder.",
  },
  MAIL_FROM: {
    schema: z.string().min(3, "must be an address such as Paperboy <papers@example.org>"),
    default: "Paperboy <paperboy@localhost>",
    doc: "The From header of every message.",
  },
  SECRET_KEY: {
    schema: z.string().refine((v) => v === "" || v.length >= 32, {
      message: "must be at least 32 characters (try: openssl rand -hex 32)",
    }),
    default: "",
    doc: "Signs cookies and unsubscribe links. When empty, one is generated on first start and kept in the database, so every process of an instance shares it.",
  },
  TRUST_PROXY: {
    schema: z.enum(["true", "false"], { message: "must be true or false" }),
    default: "false",
    doc: "`true` when a reverse proxy you run sets `X-Forwarded-For`: rate limits then count the client address it reports instead of the proxy's.",
  },
  PAGE_CACHE_SECONDS: {
    schema: z.coerce.number().int().min(0).max(3600),
    default: "10",
    doc: "How long pages and public JSON are cached in memory for visitors who are not signed in (0 turns the cache off). Signed-in people always get fresh pages.",
  },
  MAIL_POOL_SIZE: {
    schema: z.coerce
      .number({ message: "must be a number" })
      .int()
      .min(1, "must be at least 1")
      .max(50, "must be at most 50"),
    default: "5",
    doc: "SMTP connections kept open for sending digests; also how many messages are in flight at once.",
  },
  DIGEST_RATE: {
    schema: z.coerce
      .number({ message: "must be a number" })
      .positive("must be more than 0")
      .max(10_000, "must be at most 10000"),
    default: "20",
    doc: "Most digest messages sent per second (ask your mail provider what it allows).",
  },
  DIGEST_PAUSE_AFTER: {
    schema: z.coerce.number({ message: "must be a number" }).int().min(1, "must be at least 1"),
    default: "20",
    doc: "Sending pauses for 15 minutes after this many failed sends in a row, and the log says why.",
  },
  DEMO_DATA: {
    schema: z.enum(["auto", "off"], { message: "must be auto or off" }),
    default: "auto",
    doc: "`auto` loads the bundled demo papers when the database has no papers at start; `off` never does.",
  },
  LOG_LEVEL: {
    schema: z.enum(["debug", "info", "warn", "error"], {
      message: "must be debug, info, warn or error",
    }),
    default: "info",
    doc: "Least severe log level written to standard error.",
  },
  ARXIV_API_URL: {
    schema: httpUrl,
    default: "https://export.arxiv.org/api/query",
    doc: "arXiv search API endpoint used by `paperboy ingest arxiv` and `paperboy fetch`.",
  },
  ARXIV_OAI_URL: {
    schema: httpUrl,
    default: "https://oaipmh.arxiv.org/oai",
    doc: "arXiv OAI-PMH endpoint used by `paperboy harvest`.",
  },
  ARXIV_MIN_INTERVAL_MS: {
    schema: z.coerce.number({ message: "must be a number" }).int().min(0, "must be ≥ 0"),
    default: "3000",
    doc: "Least time between two requests to arXiv, in milliseconds (arXiv asks for 3 s).",
  },
  EMBEDDER: {
    schema: z.enum(["builtin", "onnx", "http"], { message: "must be builtin, onnx or http" }),
    default: "builtin",
    doc: "What turns papers and queries into vectors for semantic search: `builtin` (trained on your papers, works offline), `onnx` (a neural model run in-process, e.g. bge-small-en-v1.5, from `EMBEDDINGS_MODEL_PATH` or downloaded by `EMBEDDINGS_MODEL`) or `http` (an OpenAI-compatible service at `EMBEDDINGS_URL`: OpenAI, Ollama, vLLM, TEI). Changing it means re-embedding every paper.",
  },
  EMBEDDINGS_MODEL_PATH: {
    schema: z.string(),
    default: "",
    doc: "With `EMBEDDER=onnx`: a local model folder holding `config.json`, `tokenizer.json` and `onnx/model.onnx` (relative to the working directory or absolute). Nothing is downloaded.",
  },
  EMBEDDINGS_MODEL: {
    schema: z.string(),
    default: "",
    doc: "With `EMBEDDER=onnx`: a Hugging Face model id (e.g. `Xenova/bge-small-en-v1.5`) downloaded once into `DATA_DIR/models` when `EMBEDDINGS_MODEL_PATH` is not set (or the name to record for that folder). With `EMBEDDER=http`: the model name sent to the service.",
  },
  EMBEDDINGS_URL: {
    schema: httpUrl,
    default: "",
    doc: "With `EMBEDDER=http`: base URL of the OpenAI-compatible service, with or without `/v1` (e.g. `http://127.0.0.1:11434` for Ollama, `https://api.openai.com/v1`).",
  },
  EMBEDDINGS_API_KEY: {
    schema: z.string(),
    default: "",
    doc: "With `EMBEDDER=http`: sent as `Authorization: Bearer ...` when set.",
  },
  EMBEDDINGS_POOLING: {
    schema: z.enum(["auto", "mean", "cls"], { message: "must be auto, mean or cls" }),
    default: "auto",
    doc: "With `EMBEDDER=onnx`: how token vectors become one vector. `auto` uses what the model was trained with (`cls` for bge, `mean` for e5, MiniLM and unknown models).",
  },
  EMBEDDINGS_QUERY_PREFIX: {
    schema: z.string(),
    default: "auto",
    doc: "Text put before every search query before embedding it. `auto` uses the model's own instruction (bge: `Represent this sentence for searching relevant passages: `, e5: `query: `), `none` adds nothing, anything else is used as is.",
  },
  EMBEDDINGS_DOCUMENT_PREFIX: {
    schema: z.string(),
    default: "auto",
    doc: "Text put before every paper before embedding it: `auto` (e5: `passage: `, nomic: `search_document: `), `none`, or the text itself.",
  },
  EMBEDDINGS_BATCH_SIZE: {
    schema: z.coerce
      .number({ message: "must be a number" })
      .int("must be a whole number")
      .min(1, "must be between 1 and 2048")
      .max(2048, "must be between 1 and 2048"),
    default: "",
    doc: "Texts embedded per model call or HTTP request (default 16 for `onnx`, 32 for `http`).",
  },
} as const;

export type SettingName = keyof typeof SETTINGS;

export interface Config {
  databaseUrl: string;
  dataDir: string;
  host: string;
  port: number;
  baseUrl: string;
  mailUrl: string;
  mailFrom: string;
  secretKey: string;
  trustProxy: boolean;
  mailPoolSize: number;
  digestRate: number;
  digestPauseAfter: number;
  pageCacheSeconds: number;
  demoData: "auto" | "off";
  logLevel: "debug" | "info" | "warn" | "error";
  arxivApiUrl: string;
  arxivOaiUrl: string;
  arxivMinIntervalMs: number;
  embedder: "builtin" | "onnx" | "http";
  embeddingsModelPath: string;
  embeddingsModel: string;
  embeddingsUrl: string;
  embeddingsApiKey: string;
  embeddingsPooling: "auto" | "mean" | "cls";
  embeddingsQueryPrefix: string;
  embeddingsDocumentPrefix: string;
  /** Undefined when unset: each embedder has its own default. */
  embeddingsBatchSize: number | undefined;
}

/** Thrown when one or more settings are invalid; `problems` names each variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Reads and validates the environment. Throws ConfigError listing every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, setting] of Object.entries(SETTINGS)) {
    const raw = env[name];
    const given = raw !== undefined && raw !== "";
    if (!given && setting.default === "") {
      values[name] = ""; // optional setting left unset
      continue;
    }
    const parsed = setting.schema.safeParse(given ? raw : setting.default);
    if (parsed.success) values[name] = parsed.data;
    else {
      const reason = parsed.error.issues[0]?.message ?? "is invalid";
      problems.push(`${name} ${reason} (got ${JSON.stringify(raw)})`);
    }
  }
  problems.push(...embedderProblems(values));
  if (problems.length > 0) throw new ConfigError(problems);
  const port = values.PORT as number;
  return {
    databaseUrl: values.DATABASE_URL as string,
    dataDir: values.DATA_DIR as string,
    host: values.HOST as string,
    port,
    baseUrl: ((values.BASE_URL as string) || `http://localhost:${port}`).replace(/\/+$/, ""),
    mailUrl: values.MAIL_URL as string,
    mailFrom: values.MAIL_FROM as string,
    secretKey: values.SECRET_KEY as string,
    trustProxy: values.TRUST_PROXY === "true",
    mailPoolSize: values.MAIL_POOL_SIZE as number,
    digestRate: values.DIGEST_RATE as number,
    digestPauseAfter: values.DIGEST_PAUSE_AFTER as number,
    pageCacheSeconds: values.PAGE_CACHE_SECONDS as number,
    demoData: values.DEMO_DATA as Config["demoData"],
    logLevel: values.LOG_LEVEL as Config["logLevel"],
    arxivApiUrl: values.ARXIV_API_URL as string,
    arxivOaiUrl: values.ARXIV_OAI_URL as string,
    arxivMinIntervalMs: values.ARXIV_MIN_INTERVAL_MS as number,
    embedder: values.EMBEDDER as Config["embedder"],
    embeddingsModelPath: values.EMBEDDINGS_MODEL_PATH as string,
    embeddingsModel: values.EMBEDDINGS_MODEL as string,
    embeddingsUrl: values.EMBEDDINGS_URL as string,
    embeddingsApiKey: values.EMBEDDINGS_API_KEY as string,
    embeddingsPooling: values.EMBEDDINGS_POOLING as Config["embeddingsPooling"],
    embeddingsQueryPrefix: values.EMBEDDINGS_QUERY_PREFIX as string,
    embeddingsDocumentPrefix: values.EMBEDDINGS_DOCUMENT_PREFIX as string,
    embeddingsBatchSize: (values.EMBEDDINGS_BATCH_SIZE as number | "") || undefined,
  };
}

/** Settings that are valid alone but not together: what the chosen embedder needs. */
function embedderProblems(values: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (values.EMBEDDER === "http") {
    if (values.EMBEDDINGS_URL === "") {
      problems.push(
        "EMBEDDINGS_URL must be set when EMBEDDER=http (the base URL of an OpenAI-compatible embedding service, e.g. http://127.0.0.1:11434)",
      );
    }
    if (!values.EMBEDDINGS_MODEL) {
      problems.push(
        "EMBEDDINGS_MODEL must be set when EMBEDDER=http (the model name the service knows, e.g. nomic-embed-text)",
      );
    }
  }
  if (values.EMBEDDER === "onnx" && !values.EMBEDDINGS_MODEL_PATH && !values.EMBEDDINGS_MODEL) {
    problems.push(
      "EMBEDDINGS_MODEL_PATH or EMBEDDINGS_MODEL must be set when EMBEDDER=onnx (a local model folder, or a model id such as Xenova/bge-small-en-v1.5 to download)",
    );
  }
  return problems;
}

/** The path of an SQLite database URL, resolved against `cwd`; undefined for PostgreSQL. */
export function sqlitePath(databaseUrl: string, cwd = process.cwd()): string | undefined {
  if (!databaseUrl.startsWith("sqlite:")) return undefined;
  const path = databaseUrl.slice("sqlite:".length);
  if (path === ":memory:") return path;
  return isAbsolute(path) ? path : resolve(cwd, path);
}

/** The configuration table of README.md, in Markdown. */
export function settingsMarkdown(): string {
  const rows = Object.entries(SETTINGS).map(
    ([name, s]) => `| \`${name}\` | ${s.default === "" ? "—" : `\`${s.default}\``} | ${s.doc} |`,
  );
  return ["| Variable | Default | What it does |", "|---|---|---|", ...rows].join("\n");
}
