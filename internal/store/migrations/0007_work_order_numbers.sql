-- On PostgreSQL, work-order numbers come from a sequence, which concurrent
-- transactions take from without waiting on each other; SQLite has one
-- writer and keeps using the counters table.
{{if .Postgres}}CREATE SEQUENCE work_order_number_seq;
SELECT setval('work_order_number_seq', value) FROM counters WHERE name = 'work_order';{{else}}SELECT 1;{{end}}
