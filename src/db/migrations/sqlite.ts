// SQLite migrations, in order. Each is plain SQL; names sort in the order they run. The PostgreSQL
// twin of each lives in postgres.ts under the same name, so both dialects always reach the same shape.
import type { SqlMigration } from "./types.ts";

export const sqliteMigrations: SqlMigration[] = [
  {
    name: "0001_papers",
    up: `
      -- One row per arXiv paper; lists are kept as JSON text for display and mirrored into the
      -- relation tables below for lookups (author pages, category filters, follows).
      CREATE TABLE papers (
        id INTEGER PRIMARY KEY,
        arxiv_id TEXT NOT NULL UNIQUE,
        version INTEGER,
        title TEXT NOT NULL,
        abstract TEXT NOT NULL DEFAULT '',
        authors TEXT NOT NULL DEFAULT '[]',
        categories TEXT NOT NULL DEFAULT '[]',
        primary_category TEXT,
        comment TEXT,
        journal_ref TEXT,
        doi TEXT,
        submitted_at TEXT,
        updated_at TEXT,
        announced_on TEXT,
        code_url TEXT,
        code_stars INTEGER,
        project_url TEXT,
        source TEXT NOT NULL,
        metadata_source TEXT,
        provenance TEXT NOT NULL DEFAULT '{}',
        content_hash TEXT NOT NULL,
        created_at TEXT NOT NULL,
        modified_at TEXT NOT NULL
      );
      CREATE INDEX papers_announced_on ON papers (announced_on);
      CREATE INDEX papers_submitted_at ON papers (submitted_at);
      CREATE INDEX papers_modified_at ON papers (modified_at);

      CREATE TABLE authors (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        name_key TEXT NOT NULL
      );
      CREATE INDEX authors_by_name_key ON authors (name_key);

      CREATE TABLE paper_authors (
        paper_id INTEGER NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        author_id INTEGER NOT NULL REFERENCES authors (id),
        PRIMARY KEY (paper_id, position)
      ) WITHOUT ROWID;
      CREATE INDEX paper_authors_author ON paper_authors (author_id, paper_id);

      -- position 0 is the primary category.
      CREATE TABLE paper_categories (
        paper_id INTEGER NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
        category TEXT NOT NULL,
        position INTEGER NOT NULL,
        PRIMARY KEY (paper_id, category)
      ) WITHOUT ROWID;
      CREATE INDEX paper_categories_category ON paper_categories (category, paper_id);

      -- A paper featured on a Daily Papers day; the same paper may be in the archive without one.
      CREATE TABLE featurings (
        id INTEGER PRIMARY KEY,
        paper_id INTEGER NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
        day TEXT NOT NULL,
        submitted_by TEXT,
        submitted_at TEXT,
        upvotes INTEGER NOT NULL DEFAULT 0,
        num_comments INTEGER NOT NULL DEFAULT 0,
        organization TEXT,
        source TEXT NOT NULL,
        created_at TEXT NOT NULL,
        modified_at TEXT NOT NULL,
        UNIQUE (day, paper_id)
      );
      CREATE INDEX featurings_paper ON featurings (paper_id);

      -- Checkpoints of OAI-PMH harvests, so a killed harvest resumes where it stopped.
      CREATE TABLE harvests (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        endpoint TEXT NOT NULL,
        metadata_prefix TEXT NOT NULL,
        set_spec TEXT,
        from_date TEXT,
        until_date TEXT,
        resumption_token TEXT,
        records_seen INTEGER NOT NULL DEFAULT 0,
        status TEXT NOT NULL,
        error TEXT,
        started_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );

      -- Instance-wide values set at run time (the generated secret, admin rules, index state).
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
    `,
  },
];
