// SQLite migrations, in order. Each is plain SQL; names sort in the order they run. The PostgreSQL
// twin of each lives in postgres.ts under the same name, so both dialects always reach the same shape.
import { sqliteCommunityMigrations } from "./sqlite-community.ts";
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
  {
    name: "0002_search",
    up: `
      -- Keyword search over titles, author names and abstracts (src/search/lexical). Contentless
      -- (the text stays in papers, once) with contentless_delete, so a trigger removes a row by id
      -- alone instead of repeating its old text exactly; prefix indexes of 2 and 3 characters serve
      -- type-ahead. papers.authors is JSON text: the index gets the names, separated by a
      -- private-use character (U+E000) that the tokenizer keeps as a token of its own and no query
      -- can contain, so that a phrase cannot run from one name into the next.
      CREATE VIRTUAL TABLE papers_fts USING fts5(
        title, authors, abstract,
        content = '', contentless_delete = 1,
        tokenize = 'porter unicode61 remove_diacritics 2',
        prefix = '2 3'
      );

      CREATE TRIGGER papers_fts_insert AFTER INSERT ON papers
      BEGIN
        INSERT INTO papers_fts (rowid, title, authors, abstract)
        VALUES (
          new.id,
          new.title,
          CASE WHEN json_valid(new.authors)
            THEN (SELECT group_concat(value, ' ' || char(57344) || ' ') FROM json_each(new.authors))
            ELSE new.authors END,
          new.abstract
        );
      END;

      -- Only when the indexed text changes: most updates (stars, links, dates) leave it alone.
      CREATE TRIGGER papers_fts_update AFTER UPDATE OF title, authors, abstract ON papers
        WHEN old.title IS NOT new.title OR old.authors IS NOT new.authors OR old.abstract IS NOT new.abstract
      BEGIN
        DELETE FROM papers_fts WHERE rowid = old.id;
        INSERT INTO papers_fts (rowid, title, authors, abstract)
        VALUES (
          new.id,
          new.title,
          CASE WHEN json_valid(new.authors)
            THEN (SELECT group_concat(value, ' ' || char(57344) || ' ') FROM json_each(new.authors))
            ELSE new.authors END,
          new.abstract
        );
      END;

      CREATE TRIGGER papers_fts_delete AFTER DELETE ON papers
      BEGIN
        DELETE FROM papers_fts WHERE rowid = old.id;
      END;

      -- Papers stored before this migration.
      INSERT INTO papers_fts (rowid, title, authors, abstract)
        SELECT id, title,
          CASE WHEN json_valid(authors)
            THEN (SELECT group_concat(value, ' ' || char(57344) || ' ') FROM json_each(papers.authors))
            ELSE authors END,
          abstract
        FROM papers;
    `,
  },
  {
    name: "0003_vectors",
    up: `
      -- Fitted embedding models that live in the database (the built-in one): the bytes are the
      -- model, the id names it exactly (builtin:<hash of the bytes>).
      CREATE TABLE embedder_models (
        id TEXT PRIMARY KEY,
        dims INTEGER NOT NULL,
        model BLOB NOT NULL,
        created_at TEXT NOT NULL
      );

      -- One vector per paper per embedder: the source of truth the ANN index is built from. Two
      -- embedders coexist while a switch re-embeds in the background; search uses the active one.
      -- content_hash is the paper's at embedding time, so a changed paper is seen as stale.
      CREATE TABLE paper_vectors (
        paper_id INTEGER NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
        embedder_id TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        vector BLOB NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (embedder_id, paper_id)
      );
      CREATE INDEX paper_vectors_paper ON paper_vectors (paper_id);
      CREATE INDEX paper_vectors_updated ON paper_vectors (embedder_id, updated_at);

      -- Cached "similar papers" lists, valid for one index generation.
      CREATE TABLE similar_papers (
        paper_id INTEGER PRIMARY KEY REFERENCES papers (id) ON DELETE CASCADE,
        generation TEXT NOT NULL,
        neighbours TEXT NOT NULL,
        computed_at TEXT NOT NULL
      );
    `,
  },
  {
    name: "0004_leases",
    up: `
      -- Named leases: at most one process at a time does a given background job (indexing, sending
      -- digests). A lease is held until expires_at and renewed while the job runs; a crashed holder
      -- simply lets it expire.
      CREATE TABLE leases (
        name TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        expires_at TEXT NOT NULL
      );
    `,
  },
  {
    name: "0005_term_stats",
    up: `
      -- How many papers hold each indexed term, read by keyword search to leave the most common
      -- words out of long "any word" queries (src/search/lexical/sqlite-prune.ts).
      CREATE VIRTUAL TABLE papers_fts_vocab USING fts5vocab(papers_fts, 'row');
    `,
  },
  {
    name: "0006_signals",
    up: `
      -- The community signals of a paper, derived from its featurings (and, later, local votes and
      -- comments) and kept in step by src/papers/signals.ts in the same transaction as the change.
      -- trending is the stored score of src/ranking/trending.ts, indexed so /trending is one range
      -- read; it is recomputed on every change and periodically by the worker, as it decays with age.
      CREATE TABLE paper_signals (
        paper_id INTEGER PRIMARY KEY REFERENCES papers (id) ON DELETE CASCADE,
        upvotes INTEGER NOT NULL DEFAULT 0,
        num_comments INTEGER NOT NULL DEFAULT 0,
        first_featured_at TEXT,
        trending REAL NOT NULL DEFAULT 0,
        computed_at TEXT NOT NULL
      );
      CREATE INDEX paper_signals_trending ON paper_signals (trending DESC, paper_id);
      CREATE INDEX featurings_day ON featurings (day, paper_id);
      CREATE INDEX featurings_submitter ON featurings (submitted_by, day);

      -- Every paper featured before this migration; trending is filled in by the first refresh.
      INSERT INTO paper_signals (paper_id, upvotes, num_comments, first_featured_at, trending, computed_at)
        SELECT paper_id, sum(upvotes), sum(num_comments),
          min(coalesce(submitted_at, day || 'T00:00:00.000Z')), 0, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
        FROM featurings GROUP BY paper_id;
    `,
  },
  ...sqliteCommunityMigrations,
  {
    name: "0010_vector_freshness",
    up: `
      -- Finding the papers whose vector is missing or stale (src/search/vectors/store.ts) compares
      -- each paper's content_hash with its vector's. These two indexes answer that from the indexes
      -- alone, without reading paper rows (abstracts) or vector rows (blobs): at 1,000,000 papers
      -- the comparison read the whole database and took 47 s after every import.
      CREATE INDEX papers_content ON papers (id, content_hash);
      CREATE INDEX paper_vectors_content ON paper_vectors (paper_id, embedder_id, content_hash);
      -- paper_vectors_content starts with paper_id, so it also serves the cascade from papers.
      DROP INDEX paper_vectors_paper;
    `,
  },
];
