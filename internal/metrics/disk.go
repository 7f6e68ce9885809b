package metrics

import (
	"errors"
	"io/fs"
	"os"
)

// fileBytes is the size of the SQLite file and of its write-ahead log,
// which holds commits not yet checkpointed into the file and takes disk
// space alike.
func fileBytes(file string) (int64, error) {
	fi, err := os.Stat(file)
	if err != nil {
		return 0, err
	}
	n := fi.Size()
	if wal, err := os.Stat(file + "-wal"); err == nil {
		n += wal.Size()
	} else if !errors.Is(err, fs.ErrNotExist) {
		return 0, err
	}
	return n, nil
}
