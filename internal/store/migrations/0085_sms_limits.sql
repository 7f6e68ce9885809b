-- Every text to a phone is counted against a cap per phone (docs/invitations.md,
-- "Texts per phone"): phone_hash is a keyed hash of the phone (the key of
-- the opt-out list, derived from the master key), never the phone itself;
-- refused says why a message was not sent (opted_out, daily_cap,
-- burst_cap), the row staying as the record of the refusal.
ALTER TABLE sms_outbox ADD COLUMN phone_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE sms_outbox ADD COLUMN refused TEXT NOT NULL DEFAULT '';
CREATE INDEX sms_outbox_phone ON sms_outbox (phone_hash, created_at) WHERE phone_hash <> '';
