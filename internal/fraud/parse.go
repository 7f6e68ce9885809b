package fraud

import (
	"fmt"
	"strings"
	"time"
)

const (
	// BurstPrefix begins the reason of a review held as part of a burst
	// found on a later review.
	BurstPrefix = "burst: "

	offHoursFormat     = "%d window reviews of one hall while it was closed"
	staffNetworkReason = "from a network a staff account of the rated unit signed in from"
)

// formats are Finding.String's sentences with a count and a window, so
// that a stored reason can be read back and shown in another language.
var formats = []struct {
	sig    Signal
	format string
}{
	{AddressVelocity, "%d reviews from one network within %s"},
	{DeviceVelocity, "%d reviews from one device within %s"},
	{WorkstationVelocity, "%d reviews of one workstation within %s"},
	{UnitVelocity, "%d reviews of one unit within %s"},
	{HallVelocity, "%d reviews of one hall within %s"},
	{SameText, "%d reviews with the same comment within %s"},
	{FiveStarBurst, "%d five-star reviews of one workstation within %s"},
	{UnverifiedUnit, "%d unverified reviews of one unit within %s"},
	{UnverifiedDistrict, "%d unverified reviews of one district within %s"},
}

// ParseReasons reads back what Verdict.Reasons wrote; a part it does not
// know is left out, so a reason written by an older version still shows
// what it can.
func ParseReasons(s string) []Finding {
	var out []Finding
	// A burst's earlier reviews are held with the finding of the review
	// that completed it, after "burst: ".
	s = strings.TrimPrefix(s, BurstPrefix)
	for _, part := range strings.Split(s, "; ") {
		if f, ok := parseFinding(part); ok {
			out = append(out, f)
		}
	}
	return out
}

func parseFinding(s string) (Finding, bool) {
	if s == staffNetworkReason {
		return Finding{Signal: StaffNetwork, Count: 1}, true
	}
	var n int
	if _, err := fmt.Sscanf(s, offHoursFormat, &n); err == nil {
		return Finding{Signal: OffHours, Count: n}, true
	}
	for _, f := range formats {
		var w string
		if _, err := fmt.Sscanf(s, f.format, &n, &w); err != nil {
			continue
		}
		d, err := time.ParseDuration(w)
		if err != nil {
			continue
		}
		return Finding{Signal: f.sig, Count: n, Window: d}, true
	}
	return Finding{}, false
}
