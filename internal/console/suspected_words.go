package console

// The suspected queue's texts: key → {zh, en}; {n} is a count, {min} a
// window in minutes.
func init() {
	addWords(map[string][2]string{
		"suspect.title":              {"疑似刷评待核", "Suspected reviews"},
		"suspect.none":               {"没有待核的疑似刷评。", "No held reviews await a decision."},
		"suspect.pick":               {"选择", "Select"},
		"suspect.time":               {"时间", "Time"},
		"suspect.unit":               {"承办单位", "Unit"},
		"suspect.where":              {"工位", "Workstation"},
		"suspect.channel":            {"渠道", "Channel"},
		"suspect.stars":              {"评分", "Stars"},
		"suspect.comment":            {"评价内容", "Comment"},
		"suspect.reasons":            {"暂缓计入的原因", "Why it is held"},
		"suspect.order":              {"工单", "Work order"},
		"suspect.reason":             {"核查说明（必填）", "Reason for the decision (required)"},
		"suspect.release":            {"放行：计入指数并转入话务员队列", "Release: count it and send its order to the operators"},
		"suspect.reject":             {"驳回：继续不计入", "Reject: keep it out"},
		"suspect.next":               {"下一页", "Next page"},
		"suspect.done.release":       {"已放行 %s 条评价。", "%s reviews released."},
		"suspect.done.reject":        {"已驳回 %s 条评价。", "%s reviews rejected."},
		"suspect.reason.address":     {"同一网络{min}分钟内{n}条评价", "{n} reviews from one network within {min} minutes"},
		"suspect.reason.device":      {"同一设备{min}分钟内{n}条评价", "{n} reviews from one device within {min} minutes"},
		"suspect.reason.workstation": {"同一工位{min}分钟内{n}条评价", "{n} reviews of one workstation within {min} minutes"},
		"suspect.reason.unit":        {"同一单位{min}分钟内{n}条评价", "{n} reviews of one unit within {min} minutes"},
		"suspect.reason.text":        {"{min}分钟内{n}条相同或相近的评价内容", "{n} reviews with the same comment within {min} minutes"},
		"suspect.reason.off_hours":   {"大厅下班后{n}条窗口评价", "{n} window reviews of a hall while it was closed"},
		"suspect.reason.five_star":   {"同一工位{min}分钟内{n}条五星评价", "{n} five-star reviews of one workstation within {min} minutes"},
		"suspect.reason.staff":       {"来自被评单位工作人员登录过的网络", "From a network a staff member of the rated unit signed in from"},
		"nav.suspected":              {"疑似刷评", "Suspected reviews"},
	})
}
