package national

import "slices"

// MinCrowd is k, the least crowd an anonymous review's place may name in
// the export: its workstation (and window) stays only where that day at
// least k reviews were given at it and at least k of the day's
// transactions share its workstation, item and stage without being named
// by a real-name review of the same file; its hall likewise. Below k the
// place is cut to the unit and district. Joining the reviews file with
// the transactions file (or the business system's records of that day)
// on workstation, item and stage then finds at least k candidates for an
// anonymous review, or none (docs/national.md, "Anonymity and re-identification").
const MinCrowd = 5

// placeKey is a place (a workstation or a hall) with an item and stage:
// what a join of the two files matches on.
type placeKey struct{ place, item, stage string }

// Blur returns day with the places of its anonymous reviews cut where
// fewer than k would share them (MinCrowd). Build applies it; the
// transactions and the real-name reviews are unchanged.
func Blur(day Day, k int) Day {
	named := map[string]bool{} // transactions a real-name review names
	atWS, atHall := map[string]int{}, map[string]int{}
	for _, r := range day.Reviews {
		if !r.Anonymous && r.Transaction != "" {
			named[r.Transaction] = true
		}
		if r.WS != "" {
			atWS[r.WS]++
		}
		if r.Hall != "" {
			atHall[r.Hall]++
		}
	}
	crowd := map[placeKey]int{}
	for _, t := range day.Transactions {
		if named[t.Number] {
			continue
		}
		for _, s := range t.Stages {
			if t.Workstation != "" {
				crowd[placeKey{t.Workstation, t.Item, s}]++
			}
			if t.Hall != "" {
				crowd[placeKey{t.Hall, t.Item, s}]++
			}
		}
	}
	out := day
	out.Reviews = slices.Clone(day.Reviews)
	for i := range out.Reviews {
		r := &out.Reviews[i]
		if !r.Anonymous {
			continue
		}
		if r.WS != "" && (atWS[r.WS] < k || crowd[placeKey{r.WS, r.Item, r.Stage}] < k) {
			r.WS, r.Window = "", ""
		}
		if r.WS == "" && r.Hall != "" && (atHall[r.Hall] < k || crowd[placeKey{r.Hall, r.Item, r.Stage}] < k) {
			r.Hall, r.Window = "", ""
		}
	}
	return out
}
