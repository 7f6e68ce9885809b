-- Issue 16: how far each review is bound to a real service event
-- (review.Verification; docs/domain.md, "Verification levels").
-- Reviews stored before the level existed get the level their door gave
-- the best proof of at the time:
--   transaction: a review of a reported transaction (or its default
--     review) that came through the transaction's invitation link or the
--     window's paired rating device (channel tablet);
--   presence: any other review from a workstation's QR code or device
--     (channel window or tablet with a workstation), which had to show
--     the workstation's QR token or a paired device then;
--   unverified: the rest (a transaction number typed in proved nothing).
ALTER TABLE reviews ADD COLUMN verification TEXT NOT NULL DEFAULT 'unverified'
    CHECK (verification IN ('transaction', 'presence', 'unverified'));
UPDATE reviews SET verification = 'transaction'
    WHERE origin = 'default'
       OR (origin = 'transaction' AND (channel = 'tablet' OR id IN (SELECT review FROM invitations WHERE review IS NOT NULL)));
UPDATE reviews SET verification = 'presence'
    WHERE verification = 'unverified' AND channel IN ('window', 'tablet') AND workstation IS NOT NULL;
