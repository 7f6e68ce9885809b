-- Citizen sign-in (issue 16): a citizen is known only by the keyed hash of
-- their identity (a phone, hashed as the SMS caps hash it, or an OpenID
-- Connect issuer and subject), never by the phone itself.
--
-- citizen_codes holds the one live sign-in code of a phone (its keyed
-- hash); citizen_sessions the hashes of session and bearer tokens;
-- citizen_reviews which reviews a signed-in citizen gave, for their own
-- "my reviews" page. Requests are counted in follow_attempts.
CREATE TABLE citizen_codes (
    phone_hash TEXT PRIMARY KEY,
    code_hash  TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE citizen_sessions (
    token_hash   TEXT PRIMARY KEY,
    citizen_hash TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL
);
CREATE INDEX citizen_sessions_expires ON citizen_sessions (expires_at);
CREATE TABLE citizen_reviews (
    review       BIGINT PRIMARY KEY,
    citizen_hash TEXT NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX citizen_reviews_citizen ON citizen_reviews (citizen_hash, created_at);
