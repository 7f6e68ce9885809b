-- Rating invitations by SMS (internal/invitation). One row per invited
-- transaction: skipped is 'opted_out' when the phone had asked for no
-- more and nothing was sent; used_at is set when a review was given
-- through one of its links (single use), review names it.
CREATE TABLE invitations (
    txn         TEXT PRIMARY KEY,
    invited_at  BIGINT NOT NULL,
    skipped     TEXT NOT NULL DEFAULT '',
    reminded_at BIGINT,
    used_at     BIGINT,
    review      BIGINT
);
CREATE INDEX invitations_unreminded ON invitations (invited_at) WHERE reminded_at IS NULL AND used_at IS NULL;

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
