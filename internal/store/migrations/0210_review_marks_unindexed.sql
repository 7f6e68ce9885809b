-- Issue 17: what storing one review writes. The earlier reviews of a
-- burst are held by id, as the screening windows name them (fraud.go,
-- burstHolds), no longer found through an index on the reviews' device
-- and network marks, which nothing else reads (the review limits count in
-- memory since ratecounts.go). A burst the windows may not know whole (its
-- mark evicted from memory and counted again, or more open reviews than a
-- ring keeps) is held by its condition, reading the burst's window
-- through reviews_created. Each index cost every review a dirtied page.
DROP INDEX reviews_client_mark;
DROP INDEX reviews_net_mark;
