//go:build !linux

package metrics

import "errors"

// diskSpace is only read on Linux, where Haocha is packaged.
func diskSpace(string) (free, total uint64, err error) {
	return 0, 0, errors.New("free disk space is read on Linux only")
}
