-- Issue 16: a signed-in citizen is known by the keyed hash of their phone
-- (sms.PhoneHash, the key of the outbox's caps, migration 0085). Kept
-- beside the sealed phone so that a citizen's transactions at a
-- workstation can be found without opening every phone. Rows stored
-- before have '' and are hashed when read (TransactionPhoneHash).
ALTER TABLE transaction_phones ADD COLUMN phone_hash TEXT NOT NULL DEFAULT '';
CREATE INDEX transaction_phones_hash ON transaction_phones (phone_hash) WHERE phone_hash <> '';
