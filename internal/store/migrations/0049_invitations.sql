-- Rating invitations by SMS (internal/invitation). One row per invited
-- transaction: skipped is 'opted_out' when the phone had asked for no
-- more and nothing was sent; remind_at is when its one reminder is due,
-- NULL once sent or not to be sent; used_at is set when a review was
-- given through one of its links (single use), review names it.
CREATE TABLE invitations (
    txn         TEXT PRIMARY KEY,
    invited_at  BIGINT NOT NULL,
    skipped     TEXT NOT NULL DEFAULT '',
    remind_at   BIGINT,
    reminded_at BIGINT,
    used_at     BIGINT,
    review      BIGINT
);
CREATE INDEX invitations_remind ON invitations (remind_at) WHERE remind_at IS NOT NULL;

-- Transactions reported with a phone and not yet invited: written with
-- the phone, taken off when invited or when there is nothing to invite
-- to, so the scheduler reads what is new, never every open transaction.
CREATE TABLE invitations_pending (
    txn TEXT PRIMARY KEY
);
INSERT INTO invitations_pending (txn)
    SELECT p.txn FROM transaction_phones p JOIN transactions t ON t.number = p.txn WHERE t.outcome IS NULL;

-- The links sent, by a keyed hash of their token: never the token.
CREATE TABLE invitation_links (
    token_hash TEXT PRIMARY KEY,
    txn        TEXT NOT NULL REFERENCES invitations (txn),
    kind       TEXT NOT NULL CHECK (kind IN ('invitation', 'reminder')),
    created_at BIGINT NOT NULL
);

-- Phones that asked for no more invitations (a TD reply, or the button on
-- the rating page), by a keyed hash: never the phone.
CREATE TABLE sms_optouts (
    phone_hash TEXT PRIMARY KEY,
    source     TEXT NOT NULL,
    at         BIGINT NOT NULL
);
