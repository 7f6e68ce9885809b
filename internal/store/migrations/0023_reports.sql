-- Issued reports (通报) are kept as issued: the file, its SHA-256 (also in
-- the audit trail) and when it was made. The table is insert-only; a
-- trigger refuses every UPDATE and DELETE, so a stored report cannot be
-- edited afterwards, only issued once per period and format.
CREATE TABLE reports (
    id         {{.Serial}},
    period     TEXT NOT NULL,   -- 2026-07, 2026-Q3
    format     TEXT NOT NULL,   -- xlsx, csv, html
    sha256     TEXT NOT NULL,
    size       BIGINT NOT NULL,
    content    {{if .Postgres}}BYTEA{{else}}BLOB{{end}} NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    UNIQUE (period, format)
);
{{if .Postgres}}
CREATE FUNCTION reports_unchangeable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'reports are unchangeable once issued';
END
$$;
CREATE TRIGGER reports_insert_only BEFORE UPDATE OR DELETE ON reports
    FOR EACH ROW EXECUTE FUNCTION reports_unchangeable();
{{else}}
CREATE TRIGGER reports_no_update BEFORE UPDATE ON reports
BEGIN SELECT RAISE(ABORT, 'reports are unchangeable once issued'); END;
CREATE TRIGGER reports_no_delete BEFORE DELETE ON reports
BEGIN SELECT RAISE(ABORT, 'reports are unchangeable once issued'); END;
{{end}}
