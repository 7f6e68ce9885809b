package store

import (
	"context"
	"fmt"
)

// PostgreSQL advisory locks share one key space per database, with every
// other program that takes them. Haocha takes only the two-key form: the
// first key is a class, one per kind of lock, listed here and nowhere else;
// the second picks a lock within the class (0 for a lock of its own, the
// hashtext of a device mark for the rate limit). One-key locks (bigint) and
// two-key locks never meet, and the classes keep hashes of marks away from
// the store's own locks.

// Lock names one advisory lock: a class from the registry and a key in it.
type Lock struct {
	Class, Key int32
}

// lockClass numbers are fixed: processes of different versions sharing a
// database must agree on them.
const (
	classMigrate    int32 = 727001 // migrations and the default dimension set
	classPartitions int32 = 727002 // creating partitions of reviews
	classAudit      int32 = 727003 // appending to the audit chain
	classDevice     int32 = 727004 // one device's reviews within the rate window; key: hashtext(mark)
	classNetwork    int32 = 727005 // one network's reviews within the address window; key: hashtext(net mark)
	classSMSPhone   int32 = 727011 // texts to one phone, counted against its limits; key: its hash
	classOrders     int32 = 727012 // building the order rollups (orderrollups.go)
	classDemo       int32 = 727100 // loading the demo into an empty database
)

// lockClasses is the registry, by name, for the test that keeps the
// classes distinct.
var lockClasses = map[string]int32{
	"migrate":    classMigrate,
	"partitions": classPartitions,
	"audit":      classAudit,
	"device":     classDevice,
	"network":    classNetwork,
	"sms phone":  classSMSPhone,
	"orders":     classOrders,
	"demo":       classDemo,
}

var (
	lockMigrate    = Lock{classMigrate, 0}
	lockPartitions = Lock{classPartitions, 0}
	lockAudit      = Lock{classAudit, 0}
	lockOrders     = Lock{classOrders, 0}
	// LockDemo is held while a process loads the demo into an empty
	// database, so that processes starting together load it once.
	LockDemo = Lock{classDemo, 0}
)

// xactLock takes l until t ends; SQLite has one writer and needs none.
func (s *Store) xactLock(ctx context.Context, t tx, l Lock) error {
	if !s.pg {
		return nil
	}
	if _, err := t.exec(ctx, "SELECT pg_advisory_xact_lock(?, ?)", l.Class, l.Key); err != nil {
		return fmt.Errorf("lock %d/%d: %w", l.Class, l.Key, err)
	}
	return nil
}

// Exclusively runs fn while holding l, so that of several server processes
// sharing a PostgreSQL database only one runs fn at a time. SQLite is one
// process's file: fn just runs.
func (s *Store) Exclusively(ctx context.Context, l Lock, fn func() error) error {
	if !s.pg {
		return fn()
	}
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return fmt.Errorf("lock %d/%d: %w", l.Class, l.Key, err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1, $2)", l.Class, l.Key); err != nil {
		return fmt.Errorf("lock %d/%d: %w", l.Class, l.Key, err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1, $2)", l.Class, l.Key)
	return fn()
}
