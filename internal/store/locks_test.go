package store

import "testing"

func TestLockClassesDistinct(t *testing.T) {
	seen := map[int32]string{}
	for name, class := range lockClasses {
		if other, ok := seen[class]; ok {
			t.Errorf("locks %q and %q share class %d", name, other, class)
		}
		seen[class] = name
	}
	for _, l := range []Lock{lockMigrate, lockPartitions, lockAudit, LockDemo, {classDevice, 1}} {
		if _, ok := seen[l.Class]; !ok {
			t.Errorf("lock %v has a class missing from the registry", l)
		}
	}
}
