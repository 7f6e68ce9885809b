-- Window rating devices (评价器): the one-time pairing codes a device
-- shows, the paired devices with their token's hash, the staff's
-- invitations to rate, and each device's reviews by the id the device
-- made for them, so that a rating queued offline and sent twice is taken
-- once.

-- A pairing: the code the device shows (hashed), and the claim secret
-- the device asks with until an administrator has entered the code
-- (hashed). device is set when the code is entered, claimed when the
-- device has taken its token.
CREATE TABLE device_pairings (
    code_hash  TEXT PRIMARY KEY,
    claim_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    device     BIGINT,
    claimed    BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX device_pairings_expires ON device_pairings (expires_at);

-- A paired device. token_hash is NULL until the device claims its token.
CREATE TABLE devices (
    id          {{.Serial}},
    workstation TEXT NOT NULL REFERENCES workstations (code),
    token_hash  TEXT UNIQUE,
    paired_by   BIGINT NOT NULL,
    paired_at   BIGINT NOT NULL,
    last_seen   BIGINT,
    revoked_at  BIGINT
);
CREATE INDEX devices_workstation ON devices (workstation);

-- A window staff member's "invite rating": show the transaction again.
CREATE TABLE device_invites (
    id          {{.Serial}},
    workstation TEXT NOT NULL,
    txn         TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX device_invites_workstation ON device_invites (workstation, created_at);

-- Exactly once: the first receipt of each (device, client id).
CREATE TABLE device_reviews (
    device     BIGINT NOT NULL REFERENCES devices (id),
    client_id  TEXT NOT NULL,
    review     BIGINT NOT NULL,
    work_order TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (device, client_id)
);

-- The device's newest transaction to rate, found by workstation.
CREATE INDEX transactions_workstation ON transactions (workstation, reported_at);
