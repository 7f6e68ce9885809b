package store

// Changes counts what a public page read from this store may have
// changed since: the public pages keep their rendered views while it
// stays the same (web's view cache).
//
// Counted here: a fold that added reviews to the rollups, any write that
// drops the kept month counts (dropMonths: bulk loads, a benchmark's
// history, work orders, the catalogue) and a catalogue change. Not seen:
// what another process folds or writes (its fold adds to the rollups this
// process reads, a replica's figures change by replication); a reader of
// Changes bounds those by time.
func (s *Store) Changes() (n int64, settled bool) {
	w := s.fold.written.Load()
	return s.changes.Load(), s.fold.folded.Load() >= w
}

// changed notes a write that may change what a page shows (Changes).
func (s *Store) changed() { s.changes.Add(1) }
