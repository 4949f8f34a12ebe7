// The OpenAPI 3.1 document of the JSON API, served at `GET /openapi.json`: every /api/ route, its
// parameters with their bounds and defaults, its answers and the 400/404 error shape. Written by
// hand; openapi.test.ts keeps it honest (every registered /api/ route is here and nothing else,
// every documented bound is enforced, every answer matches its schema).
import type { Hono } from "hono";
import { DAILY_SORTS } from "../../papers/lists.ts";
import { SEARCH_MODES } from "../../search/service.ts";
import { HF_LIMIT, TRENDING_LIMIT } from "./papers.ts";

type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const nullable = (type: string, extra: Schema = {}): Schema => ({ type: [type, "null"], ...extra });
const str: Schema = { type: "string" };
const int: Schema = { type: "integer" };
const time: Schema = nullable("string", { format: "date-time" });
const obj = (properties: Record<string, Schema>, optional: string[] = []): Schema => ({
  type: "object",
  properties,
  required: Object.keys(properties).filter((k) => !optional.includes(k)),
});
const arrayOf = (items: Schema): Schema => ({ type: "array", items });

const query = (name: string, description: string, schema: Schema, required = false) => ({
  name,
  in: "query",
  description,
  required,
  schema,
});
const path = (name: string, description: string) => ({ name, in: "path", required: true, description, schema: str });
const range = (minimum: number, maximum: number, fallback: number): Schema => ({
  type: "integer",
  minimum,
  maximum,
  default: fallback,
});

const linkHeader = { Link: { $ref: "#/components/headers/Link" } };
const totalHeader = { "X-Total-Count": { $ref: "#/components/headers/X-Total-Count" } };
const ok = (description: string, schema: Schema, headers: Record<string, unknown> = {}) => ({
  description,
  headers,
  content: { "application/json": { schema } },
});
const badRequest = { $ref: "#/components/responses/BadRequest" };
const notFound = { $ref: "#/components/responses/NotFound" };

const user = obj({
  user: str,
  name: str,
  fullname: str,
  avatarUrl: nullable("string"),
  isPro: { type: "boolean" },
  type: { const: "user" },
});
const paper = obj({
  id: { type: "string", description: "arXiv id without version" },
  authors: arrayOf(obj({ name: str, hidden: { type: "boolean" } })),
  publishedAt: { ...time, description: "arXiv submission time" },
  submittedOnDailyAt: { ...time, description: "When it was last featured on Daily Papers" },
  submittedOnDailyBy: { oneOf: [ref("User"), { type: "null" }] },
  title: str,
  summary: str,
  upvotes: int,
  discussionId: nullable("string"),
  projectPage: nullable("string"),
  githubRepo: nullable("string"),
  githubStars: nullable("integer"),
  ai_summary: nullable("string"),
  ai_keywords: { oneOf: [arrayOf(str), { type: "null" }] },
  organization: { oneOf: [ref("Organization"), { type: "null" }] },
});
const dailyItem = obj({
  paper: ref("Paper"),
  publishedAt: { ...time, description: "When the paper was featured on Daily Papers" },
  title: str,
  summary: str,
  thumbnail: nullable("string"),
  mediaUrls: arrayOf(str),
  numComments: int,
  submittedBy: { oneOf: [ref("User"), { type: "null" }] },
  organization: { oneOf: [ref("Organization"), { type: "null" }] },
  isAuthorParticipating: { type: "boolean" },
  upvotes: int,
  projectPage: nullable("string"),
  githubRepo: nullable("string"),
  githubStars: nullable("integer"),
  ai_summary: nullable("string"),
  ai_keywords: { oneOf: [arrayOf(str), { type: "null" }] },
});
const span = obj({ start: int, end: int });
const paperCard = obj({
  id: int,
  arxivId: str,
  version: nullable("integer"),
  title: str,
  abstract: str,
  authors: arrayOf(str),
  categories: arrayOf(str),
  date: nullable("string", { format: "date" }),
  submittedAt: time,
  links: obj({ abs: str, pdf: str, html: str, code: nullable("string"), project: nullable("string") }),
  codeStars: nullable("integer"),
  upvotes: int,
  numComments: int,
  featuredOn: nullable("string", { format: "date" }),
});
const semanticStatus: Schema = { type: "string", enum: ["starting", "indexing", "ready", "unavailable"] };
const searchResponse = obj(
  {
    query: str,
    mode: { type: "string", enum: [...SEARCH_MODES] },
    modeUsed: { type: "string", enum: [...SEARCH_MODES] },
    total: int,
    offset: int,
    limit: int,
    hits: arrayOf(
      obj({
        paper: ref("PaperCard"),
        score: { type: "number" },
        keywordRank: nullable("integer"),
        semanticRank: nullable("integer"),
        highlights: obj({
          title: arrayOf(ref("Span")),
          abstract: arrayOf(ref("Span")),
          snippet: obj({
            text: str,
            spans: arrayOf(ref("Span")),
            cutStart: { type: "boolean" },
            cutEnd: { type: "boolean" },
          }),
          authors: arrayOf(int),
        }),
      }),
    ),
    warnings: arrayOf(str),
    tookMs: { type: "number" },
    semantic: semanticStatus,
    indexing: obj({ done: int, total: int }),
  },
  ["indexing"],
);

// The write API of votes and submissions (src/web/community/votes-routes.tsx, submit-routes.tsx):
// authenticated by `Authorization: Bearer TOKEN`, or by the session cookie with X-CSRF-Token.
const writeSecurity = [{ bearer: [] }, { session: [], csrfHeader: [] }];
const writeErrors = {
  "401": ok("No credentials, or an invalid or revoked token", ref("Error")),
  "403": ok("Suspended account, or a cookie request without its CSRF token", ref("Error")),
  "429": ok("Too many requests; Retry-After says when to try again", ref("Error"), {
    "Retry-After": { description: "Seconds to wait", schema: int },
  }),
};
const voteOperation = (parameters: unknown[]) => ({
  post: {
    tags: ["paperboy"],
    summary: "Upvote a paper, remove the upvote, or toggle it",
    description: "One upvote per user per paper. `on` true sets it, false clears it; no body (or no `on`) toggles.",
    security: writeSecurity,
    parameters,
    requestBody: {
      required: false,
      content: { "application/json": { schema: obj({ on: { type: "boolean" } }, ["on"]) } },
    },
    responses: {
      "200": ok("The paper's upvotes after the change, and whether the caller's upvote is there", ref("VoteResult")),
      "400": badRequest,
      "404": notFound,
      ...writeErrors,
    },
  },
});
const refusalReasons = [
  "invalid-request",
  "invalid-id",
  "invalid-day",
  "not-found",
  "too-old",
  "daily-limit",
  "duplicate",
  "suspended",
  "rate-limited",
  "arxiv-unavailable",
];
const refused = (description: string) => ok(description, ref("SubmissionError"));
const votesAndSubmissions = {
  "/api/papers/{id}/vote": voteOperation([path("id", "arXiv id")]),
  "/api/papers/{archive}/{number}/vote": voteOperation([
    path("archive", "Archive of an old-style id, e.g. hep-th"),
    path("number", "Number, e.g. 9901001"),
  ]),
  "/api/papers/submit": {
    post: {
      tags: ["paperboy"],
      summary: "Submit a paper to Daily Papers",
      description:
        "Features a paper on a day (default: today, UTC) in the caller's name. A paper this instance does not " +
        "hold is fetched from arXiv first. Refusals answer {error, reason}; the admin's rules decide how old a " +
        "paper may be and how many submissions a user may make per day.",
      security: writeSecurity,
      requestBody: {
        required: true,
        content: {
          "application/json": {
            schema: obj(
              {
                id: { type: "string", description: "arXiv id or URL", examples: ["2406.01234"] },
                date: { type: "string", format: "date", description: "The Daily Papers day; default today (UTC)" },
              },
              ["date"],
            ),
          },
        },
      },
      responses: {
        "201": ok("Featured: the paper and the day", ref("Submission")),
        "400": refused(
          "Not JSON, not an arXiv id or URL, or a bad day (reason invalid-request, invalid-id, invalid-day)",
        ),
        "401": writeErrors["401"],
        "403": refused("The account is suspended (reason suspended), or a cookie request without its CSRF token"),
        "404": refused("arXiv has no such paper (reason not-found)"),
        "409": refused("Already featured on that day (reason duplicate)"),
        "422": refused("Older than this instance's maximum age (reason too-old)"),
        "429": {
          ...refused("Daily or hourly limit reached (reason daily-limit, rate-limited)"),
          headers: writeErrors["429"].headers,
        },
        "503": refused("arXiv could not be reached (reason arxiv-unavailable)"),
      },
    },
  },
};

export const OPENAPI = {
  openapi: "3.1.0",
  info: {
    title: "Paperboy API",
    version: "1",
    description:
      "Papers, Daily Papers, trending and search. The operations tagged `huggingface` answer in the shapes of " +
      "the Hugging Face Papers API, so huggingface_hub works with HF_ENDPOINT set to this server. Lists page " +
      'with RFC 8288 Link headers (rel="next", rel="prev"). A bad parameter is a 400 naming it.',
  },
  tags: [
    { name: "huggingface", description: "Compatible with the Hugging Face Papers API" },
    { name: "paperboy", description: "Paperboy's own" },
  ],
  paths: {
    "/api/health": {
      get: {
        tags: ["paperboy"],
        summary: "Liveness of the API",
        responses: { "200": ok("The process answers", obj({ status: { const: "ok" } })) },
      },
    },
    "/api/me": {
      get: {
        tags: ["paperboy"],
        summary: "Who the credentials belong to",
        description: "For scripts checking their API token. 401 without a session cookie or a valid Bearer token.",
        security: [{ bearer: [] }, { session: [] }],
        responses: {
          "200": ok(
            "The account",
            obj({
              username: str,
              displayName: str,
              role: { type: "string", enum: ["member", "moderator", "admin"] },
              suspended: { type: "boolean" },
              via: { type: "string", enum: ["session", "token"] },
            }),
          ),
          "401": ok("Not signed in, or the token is invalid or revoked", ref("Error")),
        },
      },
    },
    "/api/search": {
      get: {
        tags: ["paperboy"],
        summary: "Search papers by keyword, meaning or both",
        parameters: [
          query("q", 'The query: words, "phrases", -exclude, author:"Name", cat:cs.CL, before:, after:', str, true),
          query("mode", "Ranking", { type: "string", enum: [...SEARCH_MODES], default: "hybrid" }),
          query("category", "arXiv categories; repeat or separate with commas", str),
          query("author", "Author names; repeat or separate with commas", str),
          query("from", "First day (inclusive)", { type: "string", format: "date" }),
          query("to", "Last day (inclusive)", { type: "string", format: "date" }),
          query("limit", "Hits per page", range(1, 100, 20)),
          query("offset", "Hits skipped", range(0, 10_000, 0)),
          query("prefix", "The last word is being typed", { type: "string", enum: ["true", "false", "1", "0"] }),
        ],
        responses: { "200": ok("Ranked hits with highlights", ref("SearchResponse"), linkHeader), "400": badRequest },
      },
    },
    "/api/papers/search": {
      get: {
        tags: ["huggingface"],
        summary: "Search papers (huggingface_hub list_papers)",
        parameters: [query("q", "The query", str, true), query("limit", "Most hits", range(1, 120, 20))],
        responses: {
          "200": ok("Matching papers, best first", arrayOf(ref("SearchPaperItem"))),
          "400": badRequest,
        },
      },
    },
    "/api/papers/{id}/similar": {
      get: {
        tags: ["paperboy"],
        summary: "Papers similar to one paper",
        parameters: [path("id", "arXiv id"), query("limit", "Most papers", range(1, 10, 10))],
        responses: {
          "200": ok(
            "Similar papers, most similar first",
            obj({
              paper: str,
              semantic: semanticStatus,
              similar: arrayOf(obj({ paper: ref("PaperCard"), score: { type: "number" } })),
            }),
          ),
          "400": badRequest,
          "404": notFound,
        },
      },
    },
    "/api/daily_papers": {
      get: {
        tags: ["huggingface"],
        summary: "Daily Papers of a day, week or month (huggingface_hub list_daily_papers)",
        description: "At most one of date, week and month; none means the latest day with featured papers.",
        parameters: [
          query("date", "A day", { type: "string", format: "date" }),
          query("week", "An ISO week", { type: "string", pattern: "^\\d{4}-W\\d{2}$", examples: ["2026-W33"] }),
          query("month", "A month", { type: "string", pattern: "^\\d{4}-\\d{2}$", examples: ["2026-08"] }),
          query("submitter", "Username of the submitter", { type: "string", maxLength: 100 }),
          query("sort", "Order: upvotes, trending score or arXiv submission time", {
            type: "string",
            enum: [...DAILY_SORTS],
            default: "upvotes",
          }),
          query("p", "Page, from 0", range(0, 10_000, 0)),
          query("limit", "Papers per page", range(HF_LIMIT.min, HF_LIMIT.max, HF_LIMIT.default)),
        ],
        responses: {
          "200": ok("The period's papers, once each", arrayOf(ref("DailyPaperItem")), {
            ...linkHeader,
            ...totalHeader,
          }),
          "400": badRequest,
        },
      },
    },
    "/api/papers/{id}": {
      get: {
        tags: ["huggingface"],
        summary: "One paper (huggingface_hub paper_info)",
        parameters: [path("id", "arXiv id, with or without version")],
        responses: { "200": ok("The paper", ref("PaperInfo")), "400": badRequest, "404": notFound },
      },
    },
    "/api/papers/{archive}/{number}": {
      get: {
        tags: ["huggingface"],
        summary: "One paper with an old-style arXiv id, such as hep-th/9901001",
        parameters: [path("archive", "Archive, e.g. hep-th"), path("number", "Number, e.g. 9901001")],
        responses: { "200": ok("The paper", ref("PaperInfo")), "400": badRequest, "404": notFound },
      },
    },
    "/api/papers": {
      get: {
        tags: ["huggingface"],
        summary: "The whole archive, most recently added first",
        parameters: [
          query("cursor", "Where to go on: from the previous page's Link header", str),
          query("limit", "Papers per page", range(HF_LIMIT.min, HF_LIMIT.max, HF_LIMIT.default)),
        ],
        responses: { "200": ok("A page of papers", arrayOf(ref("PaperInfo")), linkHeader), "400": badRequest },
      },
    },
    "/api/trending": {
      get: {
        tags: ["paperboy"],
        summary: "Papers by trending score (upvotes decayed by age)",
        parameters: [
          query("limit", "Papers per page", range(TRENDING_LIMIT.min, TRENDING_LIMIT.max, TRENDING_LIMIT.default)),
          query("offset", "Papers skipped", range(0, 10_000, 0)),
        ],
        responses: {
          "200": ok(
            "A page of papers with their scores",
            obj({
              items: arrayOf(obj({ paper: ref("PaperCard"), score: { type: "number" } })),
              total: int,
              limit: int,
              offset: int,
            }),
            { ...linkHeader, ...totalHeader },
          ),
          "400": badRequest,
        },
      },
    },
    ...votesAndSubmissions,
  },
  components: {
    schemas: {
      Error: obj({ error: str, parameter: str }, ["parameter"]),
      User: user,
      Organization: obj({ name: str, fullname: str, avatarUrl: nullable("string") }),
      Paper: paper,
      PaperInfo: { allOf: [ref("Paper"), obj({ numComments: int })] },
      DailyPaperItem: dailyItem,
      SearchPaperItem: {
        allOf: [ref("DailyPaperItem"), obj({ highlightedTitle: str, highlightedSummary: str })],
        description: "highlightedTitle and highlightedSummary are HTML: the text escaped, matches in <mark>",
      },
      PaperCard: paperCard,
      Span: span,
      SearchResponse: searchResponse,
      VoteResult: obj({ upvotes: int, voted: { type: "boolean" } }),
      Submission: obj({ paper: ref("PaperCard"), day: { type: "string", format: "date" } }),
      SubmissionError: obj({ error: str, reason: { type: "string", enum: refusalReasons } }),
    },
    securitySchemes: {
      bearer: { type: "http", scheme: "bearer", description: "An API token from the account settings page" },
      session: { type: "apiKey", in: "cookie", name: "pb_session", description: "The browser session" },
      csrfHeader: { type: "apiKey", in: "header", name: "X-CSRF-Token", description: "The session's CSRF token" },
    },
    headers: {
      Link: { description: 'RFC 8288 links to the next and previous pages (rel="next", rel="prev")', schema: str },
      "X-Total-Count": { description: "Items in the whole list", schema: int },
    },
    responses: {
      BadRequest: ok("A parameter is invalid; `parameter` names it", ref("Error")),
      NotFound: ok("No such paper", ref("Error")),
    },
  },
} as const;

export function registerOpenApi(app: Hono): void {
  app.get("/openapi.json", (c) => c.json(OPENAPI));
}
