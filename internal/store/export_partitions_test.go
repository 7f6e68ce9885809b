package store

import "time"

// RecentPartitions names the partitions a read of the reviews created
// after since, up to latest, reads instead of the parent; nil: the parent.
func (s *Store) RecentPartitions(since, latest time.Time) []string {
	return s.recentPartitions(since, latest)
}
