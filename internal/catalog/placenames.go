package catalog

import (
	"fmt"
	"regexp"
)

// MaxPlaceNameLen bounds a window's or workstation's name, in characters:
// it is printed on QR sheets and read on a phone.
const MaxPlaceNameLen = 100

var (
	windowNameRE      = regexp.MustCompile(`^([0-9]+)号窗口$`)
	workstationNameRE = regexp.MustCompile(`^([0-9]+)号窗口([0-9]+)号工位$`)
)

// WindowNameEN derives the English name of a window named in the
// catalogue's usual way ("3号窗口" → "Window 3"), or "" for any other name:
// a guess at a free name would be worse than the Chinese one.
func WindowNameEN(zh string) string {
	if m := windowNameRE.FindStringSubmatch(zh); m != nil {
		return "Window " + m[1]
	}
	return ""
}

// WorkstationNameEN derives the English name of a workstation named in the
// usual way ("3号窗口2号工位" → "Window 3, seat 2"), or "".
func WorkstationNameEN(zh string) string {
	if m := workstationNameRE.FindStringSubmatch(zh); m != nil {
		return fmt.Sprintf("Window %s, seat %s", m[1], m[2])
	}
	return ""
}
