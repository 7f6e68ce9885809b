-- Routing rules the administrator keeps: an item's orders to a unit, a
-- hall's to its district. They suggest the dispatch unit; the operator
-- decides. Changes are written to the audit trail.
CREATE TABLE routing_rules (
    kind       TEXT NOT NULL,
    rule_key   TEXT NOT NULL,
    unit       TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (kind, rule_key)
);
