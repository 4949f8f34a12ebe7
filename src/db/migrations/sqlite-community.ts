// SQLite migrations of accounts, community and digests (0007 onwards), split from sqlite.ts by
// subject; sqlite.ts lists them after the papers and search migrations, in order.
import type { SqlMigration } from "./types.ts";

export const sqliteCommunityMigrations: SqlMigration[] = [
  {
    name: "0007_community",
    up: `
      -- People with an account. email is stored lower-cased and trimmed; username is the public
      -- handle (lower-case letters, digits, - and _); role is member, moderator or admin.
      CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        email TEXT NOT NULL UNIQUE,
        username TEXT NOT NULL UNIQUE,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL DEFAULT 'member',
        suspended_at TEXT,
        suspended_reason TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );

      -- Sign-in links. Only the SHA-256 of the token is stored; a token works once, until expires_at.
      CREATE TABLE login_tokens (
        id INTEGER PRIMARY KEY,
        token_hash TEXT NOT NULL UNIQUE,
        email TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        used_at TEXT,
        ip TEXT,
        created_at TEXT NOT NULL
      );
      CREATE INDEX login_tokens_email ON login_tokens (email, created_at);

      -- Browser sessions; the cookie holds the token, the table its SHA-256.
      CREATE TABLE sessions (
        id INTEGER PRIMARY KEY,
        token_hash TEXT NOT NULL UNIQUE,
        -- Sent back in every form and fetch of this session (X-CSRF-Token): cross-site requests cannot know it.
        csrf_token TEXT NOT NULL,
        user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        user_agent TEXT,
        created_at TEXT NOT NULL,
        last_seen_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      );
      CREATE INDEX sessions_user ON sessions (user_id);

      -- API tokens for the write API (Authorization: Bearer); shown once, stored hashed.
      CREATE TABLE api_tokens (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        last_used_at TEXT,
        revoked_at TEXT
      );
      CREATE INDEX api_tokens_user ON api_tokens (user_id);

      -- One upvote per user per paper; the primary key makes concurrent clicks safe.
      CREATE TABLE votes (
        user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        paper_id INTEGER NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        PRIMARY KEY (user_id, paper_id)
      );
      CREATE INDEX votes_paper ON votes (paper_id);

      -- Local submissions to Daily Papers are featurings with the submitting account.
      ALTER TABLE featurings ADD COLUMN submitted_by_user_id INTEGER REFERENCES users (id) ON DELETE SET NULL;

      -- Comments on papers: Markdown source, replies one level deep (parent_id), soft-deleted by
      -- their author (deleted_at) or hidden by a moderator (hidden_at), so threads keep their shape.
      CREATE TABLE comments (
        id INTEGER PRIMARY KEY,
        paper_id INTEGER NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
        user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        parent_id INTEGER REFERENCES comments (id) ON DELETE CASCADE,
        body TEXT NOT NULL,
        created_at TEXT NOT NULL,
        edited_at TEXT,
        deleted_at TEXT,
        hidden_at TEXT,
        hidden_by INTEGER REFERENCES users (id) ON DELETE SET NULL
      );
      CREATE INDEX comments_paper ON comments (paper_id, created_at);
      CREATE INDEX comments_user ON comments (user_id, created_at);

      CREATE TABLE comment_reports (
        id INTEGER PRIMARY KEY,
        comment_id INTEGER NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
        user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        reason TEXT NOT NULL,
        created_at TEXT NOT NULL,
        resolved_at TEXT,
        UNIQUE (comment_id, user_id)
      );

      -- Reading lists. is_public is 0 or 1.
      CREATE TABLE collections (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        slug TEXT NOT NULL,
        name TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        is_public INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (user_id, slug)
      );

      CREATE TABLE collection_items (
        collection_id INTEGER NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
        paper_id INTEGER NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
        added_at TEXT NOT NULL,
        PRIMARY KEY (collection_id, paper_id)
      );
      CREATE INDEX collection_items_paper ON collection_items (paper_id);

      -- Follows of an author (value: the author's name_key) or a category (value: e.g. cs.CL).
      CREATE TABLE follows (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        value TEXT NOT NULL,
        label TEXT NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (user_id, kind, value)
      );
      CREATE INDEX follows_target ON follows (kind, value);

      -- Saved searches: a query and its filters (JSON), with a secret token for its private feed.
      CREATE TABLE saved_searches (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        query TEXT NOT NULL,
        filters TEXT NOT NULL DEFAULT '{}',
        feed_token TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL
      );
      CREATE INDEX saved_searches_user ON saved_searches (user_id);

      -- "I am this author of this paper": pending until an admin approves or rejects it.
      CREATE TABLE authorship_claims (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        paper_id INTEGER NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
        author_name TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending',
        created_at TEXT NOT NULL,
        decided_at TEXT,
        decided_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
        UNIQUE (user_id, paper_id)
      );
      CREATE INDEX authorship_claims_status ON authorship_claims (status, created_at);

      -- What moderators and admins did, written in the same transaction as the action.
      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        actor_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
        action TEXT NOT NULL,
        target_type TEXT NOT NULL,
        target_id TEXT NOT NULL,
        details TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL
      );
      CREATE INDEX audit_log_created ON audit_log (created_at);

      -- Fixed-window counters for abuse limits: key names what is limited and for whom
      -- (signin-email:addr, signin-ip:1.2.3.4, comment:user:7, ...).
      CREATE TABLE rate_limits (
        key TEXT NOT NULL,
        window_start TEXT NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (key, window_start)
      );

      -- Every transactional message handed to the mail transport (sign-in links, confirmations),
      -- with its outcome: the record of what was sent.
      CREATE TABLE mail_log (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        recipient TEXT NOT NULL,
        subject TEXT NOT NULL,
        message_id TEXT,
        status TEXT NOT NULL,
        error TEXT,
        created_at TEXT NOT NULL
      );
      CREATE INDEX mail_log_recipient ON mail_log (recipient, created_at);
    `,
  },
  {
    name: "0009_digests",
    up: `
      -- Digest subscriptions. One row per address; user_id links it to an account with the same
      -- address (followed authors, saved searches). status: pending (waiting for the confirmation
      -- click; nothing else is sent), active, unsubscribed. sections is JSON:
      -- {"trending": N, "follows": bool, "savedSearches": bool, "collections": bool}.
      -- next_due_at is the UTC instant of the subscriber's next edition (their local delivery hour).
      CREATE TABLE subscribers (
        id INTEGER PRIMARY KEY,
        email TEXT NOT NULL UNIQUE,
        user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
        status TEXT NOT NULL,
        confirm_token_hash TEXT UNIQUE,
        confirm_sent_at TEXT,
        confirmed_at TEXT,
        unsubscribed_at TEXT,
        frequency TEXT NOT NULL DEFAULT 'daily',
        weekdays_only INTEGER NOT NULL DEFAULT 0,
        weekly_day INTEGER NOT NULL DEFAULT 1,
        delivery_hour INTEGER NOT NULL DEFAULT 7,
        time_zone TEXT NOT NULL DEFAULT 'UTC',
        sections TEXT NOT NULL,
        max_papers INTEGER NOT NULL DEFAULT 15,
        send_empty INTEGER NOT NULL DEFAULT 0,
        next_due_at TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX subscribers_due ON subscribers (status, next_due_at);

      -- Addresses that must get no mail from any path: unsubscribed, hard-bounced, complained.
      CREATE TABLE suppressions (
        email TEXT PRIMARY KEY,
        reason TEXT NOT NULL,
        detail TEXT,
        created_at TEXT NOT NULL
      );

      -- The delivery ledger: one row per (subscriber, edition), composed when the edition is due,
      -- claimed in short transactions and checkpointed by state: pending, sending, sent, failed
      -- (retried at next_attempt_at), dead (given up), skipped (nothing worth sending).
      -- message_id is fixed when the row is made, so a resend after a crash is the same message.
      CREATE TABLE deliveries (
        id INTEGER PRIMARY KEY,
        subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
        edition TEXT NOT NULL,
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        claimed_by TEXT,
        claimed_at TEXT,
        message_id TEXT NOT NULL,
        items TEXT NOT NULL DEFAULT '[]',
        last_error TEXT,
        sent_at TEXT,
        created_at TEXT NOT NULL,
        UNIQUE (subscriber_id, edition)
      );
      CREATE INDEX deliveries_due ON deliveries (state, next_attempt_at);

      -- Every paper ever put in an edition for a subscriber: composition never picks one twice.
      CREATE TABLE digest_papers (
        subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
        paper_id INTEGER NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
        delivery_id INTEGER NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
        PRIMARY KEY (subscriber_id, paper_id)
      );
    `,
  },
];
