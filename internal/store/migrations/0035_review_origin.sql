-- Where a review came from: 'free' (no reported transaction: the portal's
-- item pages, or a number nobody reported), 'transaction' (linked to a
-- reported transaction, which gave its item, stage, unit and workstation)
-- or 'default' (默认好评: recorded when a transaction's rating window
-- closed unrated under the default-review policy; never a review the
-- citizen gave).
ALTER TABLE reviews ADD COLUMN origin TEXT NOT NULL DEFAULT 'free';
