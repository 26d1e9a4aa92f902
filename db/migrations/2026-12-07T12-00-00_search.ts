import { sql, type Kysely } from "kysely";
import { dialectOf } from "../dialect";

// Full-text search over petitions' title, summary and text, with each database's own engine. Frozen in time:
// Kysely<any>, and the search index written out here rather than taken from db/search.ts, whose query must
// keep using the same expression (tests/integration/search.test.ts checks that PostgreSQL's plan uses it).
export async function up(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === "postgres") {
    // The query names this very expression (db/search.ts), so the planner can use the index. Weighted: a word
    // in the title counts for more than one in the summary, and that for more than one in the text.
    await sql`create index petitions_search_idx on petitions using gin ((
      setweight(to_tsvector('english'::regconfig, title), 'A') ||
      setweight(to_tsvector('english'::regconfig, summary), 'B') ||
      setweight(to_tsvector('english'::regconfig, body_markdown), 'C')
    ))`.execute(db);
  } else {
    // An external-content FTS5 table: the words are indexed, the text stays in petitions only. Triggers keep it
    // in step with every insert, text change and delete, whichever code makes them. Porter stemming, as
    // PostgreSQL's english configuration stems; accents are kept, as PostgreSQL keeps them.
    await sql`create virtual table petitions_fts using fts5(
      title, summary, body_markdown,
      content = 'petitions', content_rowid = 'id',
      tokenize = 'porter unicode61 remove_diacritics 0'
    )`.execute(db);
    await sql`create trigger petitions_fts_insert after insert on petitions begin
      insert into petitions_fts (rowid, title, summary, body_markdown)
        values (new.id, new.title, new.summary, new.body_markdown);
    end`.execute(db);
    await sql`create trigger petitions_fts_delete after delete on petitions begin
      insert into petitions_fts (petitions_fts, rowid, title, summary, body_markdown)
        values ('delete', old.id, old.title, old.summary, old.body_markdown);
    end`.execute(db);
    await sql`create trigger petitions_fts_update after update of title, summary, body_markdown on petitions begin
      insert into petitions_fts (petitions_fts, rowid, title, summary, body_markdown)
        values ('delete', old.id, old.title, old.summary, old.body_markdown);
      insert into petitions_fts (rowid, title, summary, body_markdown)
        values (new.id, new.title, new.summary, new.body_markdown);
    end`.execute(db);
    await sql`insert into petitions_fts (petitions_fts) values ('rebuild')`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === "postgres") {
    await sql`drop index petitions_search_idx`.execute(db);
  } else {
    for (const trigger of ["petitions_fts_insert", "petitions_fts_delete", "petitions_fts_update"]) {
      await sql`drop trigger ${sql.id(trigger)}`.execute(db);
    }
    await sql`drop table petitions_fts`.execute(db);
  }
}
