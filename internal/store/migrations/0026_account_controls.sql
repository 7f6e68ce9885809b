-- API tokens expire and are revoked at a time; a short prefix of each new
-- token is kept in clear to name it. Tokens made before this get 90 days
-- from their creation.
ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE api_tokens ADD COLUMN revoked_at BIGINT;
ALTER TABLE api_tokens ADD COLUMN prefix TEXT NOT NULL DEFAULT '';
UPDATE api_tokens SET expires_at = created_at + 7776000000;
UPDATE api_tokens SET revoked_at = created_at WHERE revoked;
CREATE INDEX api_tokens_user ON api_tokens (user_id);
CREATE INDEX api_tokens_prefix ON api_tokens (prefix);

-- Failed logins per address, per address and account, and per account
-- (scope 'address', 'pair', 'account'), each in a window that starts at
-- its first failure. Subjects are the address's network and the login as
-- typed; login names the account of a pair or account count, for unlock.
CREATE TABLE login_failures (
    scope    TEXT NOT NULL CHECK (scope IN ('address', 'pair', 'account')),
    subject  TEXT NOT NULL,
    login    TEXT NOT NULL DEFAULT '',
    failures INTEGER NOT NULL DEFAULT 0,
    since    BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (scope, subject)
);
CREATE INDEX login_failures_login ON login_failures (login);
CREATE INDEX login_failures_since ON login_failures (since);
