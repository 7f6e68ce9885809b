package store

// sqlitePragmas are the connection settings of Open's SQLite pools: the
// benchmarks' raw ceiling (internal/loadgen) opens its own pool with the
// same and checks that its connections report the same values.
const sqlitePragmas = "_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)"
