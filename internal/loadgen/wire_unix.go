//go:build linux || darwin || freebsd || netbsd || openbsd

package loadgen

import (
	"net"
	"syscall"
	"time"
)

// stillOpen reports whether the server has neither closed c nor sent on
// it: one look at the socket, without waiting (MSG_PEEK|MSG_DONTWAIT).
func stillOpen(c *net.TCPConn) bool {
	rc, err := c.SyscallConn()
	if err != nil {
		return false
	}
	var b [1]byte
	open := false
	err = rc.Read(func(fd uintptr) bool {
		_, _, err := syscall.Recvfrom(int(fd), b[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		// Nothing to read is an open, idle connection; 0 bytes is the
		// server's FIN; a byte is an answer nobody asked for.
		open = err == syscall.EAGAIN
		return true
	})
	return err == nil && open
}

// processCPU is the CPU time this process has taken so far, user and
// system.
func processCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
