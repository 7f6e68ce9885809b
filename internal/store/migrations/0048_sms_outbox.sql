-- Text messages wait here until the gateway takes them, so a restart or a
-- gateway that is down loses none. phone and text are sealed with the
-- master key (the text may carry a private link) and emptied once the
-- message is delivered or given up; the row stays as the record.
-- next_at is when to try next; a given-up message waits for ever.
CREATE TABLE sms_outbox (
    id         {{.Serial}},
    purpose    TEXT NOT NULL,
    phone      TEXT NOT NULL,
    text       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    next_at    BIGINT NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    sent_at    BIGINT
);
CREATE INDEX sms_outbox_due ON sms_outbox (next_at) WHERE sent_at IS NULL;
