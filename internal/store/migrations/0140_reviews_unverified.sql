-- Issue 16: screening judges a unit's or district's unverified reviews
-- by their usual count over the last 28 days (internal/store/baseline.go),
-- read every ten minutes from the reviews themselves: this index keeps
-- that read to the unverified ones.
CREATE INDEX reviews_unverified ON reviews (created_at) WHERE verification = 'unverified';
