package metrics

import (
	"path/filepath"
	"syscall"
)

// diskSpace is the bytes free to an unprivileged writer and the size of
// the file system holding file.
func diskSpace(file string) (free, total uint64, err error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(filepath.Dir(file), &st); err != nil {
		return 0, 0, err
	}
	return st.Bavail * uint64(st.Bsize), st.Blocks * uint64(st.Bsize), nil
}
