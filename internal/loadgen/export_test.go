package loadgen

// SetMaxIdleConns sets the bound of a poster's idle connections until the
// returned func restores it.
func SetMaxIdleConns(n int) (restore func()) {
	was := maxIdleConns
	maxIdleConns = n
	return func() { maxIdleConns = was }
}
