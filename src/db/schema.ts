// The database's tables as Kysely sees them. Both dialects share these shapes: timestamps are ISO-8601
// UTC strings, days are 'YYYY-MM-DD' strings, lists are JSON text, and integers are numbers (the
// PostgreSQL client is told to parse int8 and timestamptz accordingly in db/client.ts).
import type { Generated, Insertable, Selectable, Updateable } from "kysely";

export interface PapersTable {
  id: Generated<number>;
  /** Canonical arXiv id without version: `2406.01234` or `hep-th/9901001`. */
  arxiv_id: string;
  /** Latest version number known, or null when the source did not say. */
  version: number | null;
  title: string;
  /** Abstract as written, LaTeX kept. */
  abstract: string;
  /** Author names in order, JSON text; the authors table holds the same list for lookups. */
  authors: string;
  /** Categories, primary first, JSON text; paper_categories holds them for filtering. */
  categories: string;
  primary_category: string | null;
  comment: string | null;
  journal_ref: string | null;
  doi: string | null;
  /** When version 1 was submitted (ISO timestamp), when known. */
  submitted_at: string | null;
  /** When the latest version was submitted (ISO timestamp), when known. */
  updated_at: string | null;
  /** Day the paper was first announced in an arXiv listing (YYYY-MM-DD), when known. */
  announced_on: string | null;
  code_url: string | null;
  code_stars: number | null;
  project_url: string | null;
  /** Importer that first created the row: arxiv-listing, hf-daily, arxiv-api, oai-pmh. */
  source: string;
  /** Importer whose bibliographic fields are stored (the most authoritative so far). */
  metadata_source: string | null;
  /** JSON: where the latest change came from ({source, ref}). */
  provenance: string;
  /** Hash of every stored field above; an import that would not change it is a no-op. */
  content_hash: string;
  created_at: string;
  modified_at: string;
}

export interface AuthorsTable {
  id: Generated<number>;
  /** The name as written on papers. */
  name: string;
  /** Lower-cased, accent-folded name for lookups and author pages. */
  name_key: string;
}

export interface PaperAuthorsTable {
  paper_id: number;
  position: number;
  author_id: number;
}

export interface PaperCategoriesTable {
  paper_id: number;
  category: string;
  /** 0 for the primary category, then in the order arXiv lists them. */
  position: number;
}

export interface FeaturingsTable {
  id: Generated<number>;
  paper_id: number;
  /** The Daily Papers day (YYYY-MM-DD). */
  day: string;
  /** Username of whoever submitted it (imported communities have no local account). */
  submitted_by: string | null;
  submitted_at: string | null;
  /** Upvotes as imported from the source; local votes are counted separately. */
  upvotes: number;
  num_comments: number;
  organization: string | null;
  source: string;
  /** The local account that submitted it (null for imported featurings). */
  submitted_by_user_id: Generated<number | null>;
  created_at: string;
  modified_at: string;
}

export interface HarvestsTable {
  id: Generated<number>;
  /** Identifies one harvest: endpoint, metadata prefix, set and date range. */
  key: string;
  endpoint: string;
  metadata_prefix: string;
  set_spec: string | null;
  from_date: string | null;
  until_date: string | null;
  /** The token to resume with; null before the first page and after the last. */
  resumption_token: string | null;
  records_seen: number;
  status: "running" | "done" | "failed";
  error: string | null;
  started_at: string;
  updated_at: string;
}

export interface SettingsTable {
  key: string;
  value: string;
  updated_at: string;
}

export interface EmbedderModelsTable {
  id: string;
  dims: number;
  model: Buffer;
  created_at: string;
}

export interface PaperVectorsTable {
  paper_id: number;
  embedder_id: string;
  /** The paper's content_hash when it was embedded: a different hash now means stale. */
  content_hash: string;
  /** Float32 little-endian, unit length. */
  vector: Buffer;
  updated_at: string;
}

export interface SimilarPapersTable {
  paper_id: number;
  /** The index generation the list was computed for; another generation means recompute. */
  generation: string;
  /** JSON: [{ id, score }] best first. */
  neighbours: string;
  computed_at: string;
}

// Keyword search tables differ by dialect and are read only through raw SQL in src/search/lexical:
// SQLite's papers_fts (an FTS5 table, rowid = papers.id) and PostgreSQL's paper_search
// (paper_id, document tsvector). Triggers on papers keep both current (migration 0002_search).
export interface LeasesTable {
  name: string;
  /** Who holds it: host:pid:random, unique per process. */
  owner: string;
  expires_at: string;
}

export interface PaperSignalsTable {
  paper_id: number;
  /** Imported upvotes summed over featurings, plus local votes. */
  upvotes: number;
  num_comments: number;
  /** When the paper first entered Daily Papers (ISO timestamp): trending age counts from here. */
  first_featured_at: string | null;
  /** The stored trending score (src/ranking/trending.ts); indexed. */
  trending: number;
  computed_at: string;
}

// Accounts and community (migration 0007_community).
export type Role = "member" | "moderator" | "admin";

export interface UsersTable {
  id: Generated<number>;
  /** Lower-cased, trimmed. */
  email: string;
  /** Public handle: lower-case letters, digits, - and _. */
  username: string;
  display_name: string;
  role: Role;
  suspended_at: string | null;
  suspended_reason: string | null;
  created_at: string;
  updated_at: string;
}

export interface LoginTokensTable {
  id: Generated<number>;
  /** SHA-256 (hex) of the token in the link. */
  token_hash: string;
  email: string;
  expires_at: string;
  used_at: string | null;
  ip: string | null;
  created_at: string;
}

export interface SessionsTable {
  id: Generated<number>;
  token_hash: string;
  csrf_token: string;
  user_id: number;
  user_agent: string | null;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface VotesTable {
  user_id: number;
  paper_id: number;
  created_at: string;
}

export interface CommentsTable {
  id: Generated<number>;
  paper_id: number;
  user_id: number;
  /** The comment this one replies to (replies are one level deep). */
  parent_id: number | null;
  /** Markdown source. */
  body: string;
  created_at: string;
  edited_at: string | null;
  deleted_at: string | null;
  hidden_at: string | null;
  hidden_by: number | null;
}

export interface CommentReportsTable {
  id: Generated<number>;
  comment_id: number;
  user_id: number;
  reason: string;
  created_at: string;
  resolved_at: string | null;
}

export interface CollectionsTable {
  id: Generated<number>;
  user_id: number;
  slug: string;
  name: string;
  description: string;
  /** 0 private, 1 public. */
  is_public: number;
  created_at: string;
  updated_at: string;
}

export interface CollectionItemsTable {
  collection_id: number;
  paper_id: number;
  added_at: string;
}

export interface FollowsTable {
  id: Generated<number>;
  user_id: number;
  kind: "author" | "category";
  /** The author's name_key or the category. */
  value: string;
  /** As shown: the author's name or the category. */
  label: string;
  created_at: string;
}

export interface SavedSearchesTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  query: string;
  /** JSON: { mode?, categories?, from?, to? }. */
  filters: string;
  /** Secret in the saved search's private feed URL. */
  feed_token: string;
  created_at: string;
}

export interface AuthorshipClaimsTable {
  id: Generated<number>;
  user_id: number;
  paper_id: number;
  author_name: string;
  status: "pending" | "approved" | "rejected";
  created_at: string;
  decided_at: string | null;
  decided_by: number | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  actor_id: number | null;
  action: string;
  target_type: string;
  target_id: string;
  /** JSON. */
  details: string;
  created_at: string;
}

export interface RateLimitsTable {
  key: string;
  window_start: string;
  count: number;
}

export interface MailLogTable {
  id: Generated<number>;
  kind: string;
  recipient: string;
  subject: string;
  message_id: string | null;
  status: "sent" | "failed";
  error: string | null;
  created_at: string;
}

// Email digests (migration 0009_digests).
export interface SubscribersTable {
  id: Generated<number>;
  email: string;
  user_id: number | null;
  status: "pending" | "active" | "unsubscribed";
  confirm_token_hash: string | null;
  confirm_sent_at: string | null;
  confirmed_at: string | null;
  unsubscribed_at: string | null;
  frequency: "daily" | "weekly";
  /** 0 or 1. */
  weekdays_only: number;
  /** ISO weekday (1 Monday … 7 Sunday) of weekly editions. */
  weekly_day: number;
  delivery_hour: number;
  time_zone: string;
  /** JSON DigestSections. */
  sections: string;
  max_papers: number;
  /** 0 or 1: send an edition even when nothing new is worth sending. */
  send_empty: number;
  next_due_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface SuppressionsTable {
  email: string;
  reason: "unsubscribe" | "bounce" | "complaint" | "manual";
  detail: string | null;
  created_at: string;
}

export type DeliveryState = "pending" | "sending" | "sent" | "failed" | "dead" | "skipped";

export interface DeliveriesTable {
  id: Generated<number>;
  subscriber_id: number;
  /** 2026-11-27 (daily) or 2026-W48 (weekly). */
  edition: string;
  state: DeliveryState;
  attempts: number;
  next_attempt_at: string;
  claimed_by: string | null;
  claimed_at: string | null;
  message_id: string;
  /** JSON: [{ paperId, reason }]. */
  items: string;
  last_error: string | null;
  sent_at: string | null;
  created_at: string;
}

export interface DigestPapersTable {
  subscriber_id: number;
  paper_id: number;
  delivery_id: number;
}

export interface Database {
  subscribers: SubscribersTable;
  suppressions: SuppressionsTable;
  deliveries: DeliveriesTable;
  digest_papers: DigestPapersTable;
  users: UsersTable;
  login_tokens: LoginTokensTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  votes: VotesTable;
  comments: CommentsTable;
  comment_reports: CommentReportsTable;
  collections: CollectionsTable;
  collection_items: CollectionItemsTable;
  follows: FollowsTable;
  saved_searches: SavedSearchesTable;
  authorship_claims: AuthorshipClaimsTable;
  audit_log: AuditLogTable;
  rate_limits: RateLimitsTable;
  mail_log: MailLogTable;
  paper_signals: PaperSignalsTable;
  leases: LeasesTable;
  embedder_models: EmbedderModelsTable;
  paper_vectors: PaperVectorsTable;
  similar_papers: SimilarPapersTable;
  papers: PapersTable;
  authors: AuthorsTable;
  paper_authors: PaperAuthorsTable;
  paper_categories: PaperCategoriesTable;
  featurings: FeaturingsTable;
  harvests: HarvestsTable;
  settings: SettingsTable;
}

export type PaperRow = Selectable<PapersTable>;
export type NewPaperRow = Insertable<PapersTable>;
export type PaperUpdate = Updateable<PapersTable>;
export type FeaturingRow = Selectable<FeaturingsTable>;
export type HarvestRow = Selectable<HarvestsTable>;
