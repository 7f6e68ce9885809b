-- Reviews per client mark over a recent window: the per-client rate limit
-- reads this, in whichever process a request lands.
CREATE INDEX reviews_client_mark ON reviews (client_mark, created_at);
