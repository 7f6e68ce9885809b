// Package calendar knows the city's time zone and its working days.
package calendar

import (
	"time"
	_ "time/tzdata" // a fresh machine may lack /usr/share/zoneinfo
)

// Zone is the city's time zone; days and deadlines are cut in it.
var Zone = mustZone("Asia/Shanghai")

func mustZone(name string) *time.Location {
	z, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return z
}

// ParseDay reads a calendar day (2006-01-02) in the city's zone.
func ParseDay(s string) (time.Time, error) {
	return time.ParseInLocation(time.DateOnly, s, Zone)
}

// Midnight is the start, in the city's zone, of the day t falls on.
func Midnight(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	t = t.In(Zone)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, Zone)
}
