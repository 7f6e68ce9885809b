-- Issue 16: a text due for a held review (the real-name reviewer's
-- follow link) waits in the outbox, never due, until a supervisor
-- releases the review; a rejected review's text is given up unsent.
ALTER TABLE sms_outbox ADD COLUMN held_review BIGINT;
CREATE INDEX sms_outbox_held ON sms_outbox (held_review) WHERE held_review IS NOT NULL;
