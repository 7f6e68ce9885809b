package index

// The 12345 centre's own board (issue 18): the hotline's operators read
// every bad-review work order, dispatch it and re-dispatch it when the
// citizen is not satisfied, so the delay before dispatch is theirs, not
// the unit's the order went to.

// The centre scope's one member.
const (
	CentreCode   = "12345"
	CentreName   = "12345市民服务热线"
	CentreNameEN = "12345 Citizen Service Hotline"
)

// CentreEntry is the centre's entry on its own board, from the city's
// orders due in the period (every order passes through the centre):
// work_orders, undispatched_late, first_contact_on_time_rate,
// redispatch_rate, escalations and appeals_upheld. The figures of the
// units' own work (replies, rectification, follow-up satisfaction, days to
// close) are null here: they are the units'. The centre has no index (no
// definition weighs its figures; a definition version would) and no review
// rates it: index null, n 0, not 样本不足.
func CentreEntry(city OrderCounts, def Definition) Entry {
	in := Compute(Counts{Orders: city}, def, nil)
	in.OnTimeReplyRate, in.RealNameReplyRate, in.RectificationRate, in.FollowUpSatisfactionRate, in.MedianDaysToClose = nil, nil, nil, nil, nil
	late := city.UndispatchedLate
	in.UndispatchedLate = &late
	return Entry{Code: CentreCode, Name: CentreName, NameEN: CentreNameEN, Result: Result{Version: def.Version}, Indicators: in}
}
