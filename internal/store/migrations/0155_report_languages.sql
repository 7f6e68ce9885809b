-- Issue 19: an issued report (通报) in each language. The scheduler now
-- writes every period's files in Chinese and in English from one build of
-- the figures and stores both, each kept as issued with its SHA-256 (see
-- internal/scheduler/reports.go for why both are stored rather than the
-- English rendered on demand). Reports issued before are Chinese: lang
-- 'zh'. One file per period, format and language; the table stays
-- insert-only.
{{if .Postgres}}
ALTER TABLE reports ADD COLUMN lang TEXT NOT NULL DEFAULT 'zh';
ALTER TABLE reports DROP CONSTRAINT reports_period_format_key;
ALTER TABLE reports ADD CONSTRAINT reports_period_format_lang_key UNIQUE (period, format, lang);
{{else}}
-- SQLite cannot drop a table constraint: the table is rebuilt (DROP TABLE
-- fires no trigger) and its insert-only triggers made again.
CREATE TABLE reports_by_lang (
    id         {{.Serial}},
    period     TEXT NOT NULL,
    format     TEXT NOT NULL,
    lang       TEXT NOT NULL DEFAULT 'zh',
    sha256     TEXT NOT NULL,
    size       BIGINT NOT NULL,
    content    BLOB NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    UNIQUE (period, format, lang)
);
INSERT INTO reports_by_lang (id, period, format, lang, sha256, size, content, created_at, created_by)
    SELECT id, period, format, 'zh', sha256, size, content, created_at, created_by FROM reports;
DROP TABLE reports;
ALTER TABLE reports_by_lang RENAME TO reports;
CREATE TRIGGER reports_no_update BEFORE UPDATE ON reports
BEGIN SELECT RAISE(ABORT, 'reports are unchangeable once issued'); END;
CREATE TRIGGER reports_no_delete BEFORE DELETE ON reports
BEGIN SELECT RAISE(ABORT, 'reports are unchangeable once issued'); END;
{{end}}
