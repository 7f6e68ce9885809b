package store

import "context"

// FollowNow reads, as the once-a-second follower does, what other
// processes stored since the last read.
func (s *Store) FollowNow(ctx context.Context) error {
	w, err := s.screenWindows(ctx)
	if err != nil {
		return err
	}
	return s.followOnce(ctx, w)
}

// WindowKeys is how many keys the windows keep, by kind, at most.
func (s *Store) WindowKeys() int {
	s.windows.mu.Lock()
	defer s.windows.mu.Unlock()
	n := 0
	for _, t := range s.windows.tables {
		n = max(n, len(t.rings))
	}
	return n
}

// MaxWindowKeys is the bound of WindowKeys.
const MaxWindowKeys = maxWindowKeys

// BurstsByCondition counts the bursts held by their condition on reviews,
// the windows not knowing them whole.
func (s *Store) BurstsByCondition() int64 { return s.groups.byCond.Load() }

// MaxRingCap bounds the arrivals a window's key keeps.
const MaxRingCap = maxRingCap
