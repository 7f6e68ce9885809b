package web

import (
	"net/http"
	"net/url"
	"strings"
)

// Languages: Chinese by default, English on request, remembered in a cookie.
const (
	langZH = "zh"
	langEN = "en"
)

// locale translates the fixed texts of the pages.
type locale string

// T returns the text for key in the locale; a missing key shows as itself
// so that it is noticed, not hidden.
func (l locale) T(key string) string {
	m, ok := messages[key]
	if !ok {
		return key
	}
	if l == langEN {
		return m[1]
	}
	return m[0]
}

// HTMLLang is the value of the html lang attribute.
func (l locale) HTMLLang() string {
	if l == langEN {
		return "en"
	}
	return "zh-CN"
}

// langOf is the page's language: ?lang= on the link first, so that a link
// shared in English opens in English, then the cookie.
func langOf(r *http.Request) locale {
	if l, ok := linkLang(r); ok {
		return l
	}
	if c, err := r.Cookie("lang"); err == nil && c.Value == langEN {
		return langEN
	}
	return langZH
}

// linkLang is the language a link asks for with ?lang=zh or ?lang=en.
func linkLang(r *http.Request) (locale, bool) {
	switch v := r.URL.Query().Get("lang"); v {
	case langZH, langEN:
		return locale(v), true
	}
	return "", false
}

// withoutLang is uri without its lang parameter: the language switch
// must not come back to a link that asks for the other language.
func withoutLang(uri string) string {
	u, err := url.ParseRequestURI(uri)
	if err != nil || !u.Query().Has("lang") {
		return uri
	}
	q := u.Query()
	q.Del("lang")
	u.RawQuery = q.Encode()
	return u.RequestURI()
}

// starWords names each star count, 1 to 5.
var starWords = [6]string{"", "stars.1", "stars.2", "stars.3", "stars.4", "stars.5"}

// messages holds every fixed text: key → {zh, en}.
var messages = map[string][2]string{
	"site.name":        {"政务服务“好差评”", "Government Service Reviews"},
	"site.city":        {"上海市", "Shanghai"},
	"skip":             {"跳到主要内容", "Skip to main content"},
	"switch.lang":      {"English", "中文"},
	"switch.lang.hint": {"Switch to English", "切换到中文"},
	"switch.large":     {"大字版", "Large text"},
	"switch.normal":    {"标准字号", "Normal text"},
	"nav.home":         {"首页", "Home"},
	"nav.items":        {"办事指南", "Service guides"},
	"footer.note":      {"评价内容仅用于改进政务服务。实名信息受保护，不向被评价单位公开。", "Reviews are used only to improve government services. Real-name details are protected and never shown to the unit rated."},

	"home.title":       {"政务服务“好差评”", "Rate a government service"},
	"home.lead":        {"您的每一条评价都会被认真对待：差评将转为 12345 工单，直至您满意为止。", "Every review counts: a bad review becomes a 12345 hotline work order, followed until you are satisfied."},
	"search.label":     {"搜索部门、区或办事事项", "Search departments, districts or services"},
	"search.button":    {"搜索", "Search"},
	"search.results":   {"搜索结果", "Search results"},
	"search.none":      {"没有找到匹配的结果，请换个关键词。", "Nothing matched. Try another word."},
	"entry.agency":     {"按部门评价", "By department"},
	"entry.district":   {"按区评价", "By district"},
	"entry.item":       {"按事项评价", "By service"},
	"entry.agency.d":   {"市级委办局", "Municipal agencies"},
	"entry.district.d": {"16 个区政府", "District governments"},
	"entry.item.d":     {"查看办事指南并评价", "Service guides, then rate"},
	"agencies":         {"部门", "Departments"},
	"districts":        {"区", "Districts"},
	"items":            {"办事事项", "Services"},
	"items.lead":       {"选择一个事项，查看办事指南、评价结果，并进行评价。", "Choose a service to see its guide and results, and to rate it."},

	"results":            {"评价结果", "Published results"},
	"results.count":      {"评价数", "Reviews"},
	"results.avg":        {"平均星级", "Average stars"},
	"results.good":       {"好评率", "Good-review rate"},
	"results.bad":        {"差评率", "Bad-review rate"},
	"results.good.d":     {"4–5 星", "4–5 stars"},
	"results.bad.d":      {"1–2 星", "1–2 stars"},
	"results.dims":       {"分项评价", "By dimension"},
	"results.stars":      {"星级分布", "Star distribution"},
	"results.trend":      {"近期评价量", "Recent reviews"},
	"results.trend.d":    {"每日评价数，截至", "Reviews per day, up to"},
	"results.none":       {"暂无评价。", "No reviews yet."},
	"results.table":      {"查看数据表", "Show as a table"},
	"results.day":        {"日期", "Day"},
	"results.n":          {"条", "reviews"},
	"results.stage":      {"按办理环节", "By stage"},
	"of5":                {"（满分 5）", "out of 5"},
	"rate.action":        {"我要评价", "Rate this service"},
	"unit.items":         {"本部门事项", "Services of this department"},
	"unit.halls":         {"服务大厅", "Service halls"},
	"unit.kind.district": {"区", "District"},
	"hall.address":       {"地址", "Address"},
	"hall.hours":         {"开放时间", "Opening hours"},
	"hall.items":         {"可办事项", "Services handled"},
	"hall.windows":       {"各窗口评价", "Results by window"},
	"hall.windows.note":  {"窗口按评价指数在本大厅内排名；评价数不足最低样本量的（样本不足）不排名。", "Windows are ranked within this hall by index; those under the minimum sample are not ranked."},
	"unit.kind.agency":   {"市级部门", "Municipal agency"},

	"item.guide":  {"办事指南", "Service guide"},
	"item.owner":  {"实施主体", "Responsible unit"},
	"item.code":   {"事项编码", "Item code"},
	"item.stages": {"办理环节", "Stages"},

	"guide.title":      {"办理须知", "What you need to know"},
	"guide.materials":  {"申请材料", "What to bring"},
	"guide.conditions": {"申请条件", "Who may apply"},
	"guide.time_limit": {"办理时限", "Time limit"},
	"guide.fees":       {"收费标准", "Fees"},
	"guide.place":      {"办理地点", "Where"},
	"guide.hours":      {"办理时间", "When"},

	"rate.title":         {"服务评价", "Rate the service"},
	"rate.at":            {"您正在评价", "You are rating"},
	"rate.hall":          {"服务大厅", "Hall"},
	"rate.window":        {"窗口", "Window"},
	"rate.workstation":   {"工位", "Workstation"},
	"rate.staff":         {"工作人员", "Staff member"},
	"rate.item":          {"办理事项", "Service"},
	"rate.item.choose":   {"请选择办理的事项", "Choose the service"},
	"rate.item.search":   {"查找事项", "Find a service"},
	"rate.item.filter":   {"筛选", "Filter"},
	"rate.item.count":    {"个事项", "services"},
	"rate.item.hall":     {"本大厅办理的事项", "Services of this hall"},
	"rate.item.others":   {"其他事项", "Other services"},
	"rate.stage":         {"办理环节", "Stage"},
	"rate.stage.hint":    {"请选择您评价的办理环节。", "Which stage of the service are you rating?"},
	"rate.stars":         {"总体满意度", "Overall satisfaction"},
	"rate.dims":          {"分项评价（选填）", "By dimension (optional)"},
	"rate.tags":          {"遇到的问题", "What went wrong"},
	"rate.tags.note":     {"选择 1–2 星时请勾选问题，便于整改。", "If you give 1–2 stars, tick the problems so they can be fixed."},
	"rate.comment":       {"意见或建议", "Comment"},
	"rate.comment.hint":  {"选填，最多 2000 字。差评请写明具体问题。", "Optional, up to 2,000 characters. For a bad review, say what went wrong."},
	"rate.who":           {"评价方式", "Who is rating"},
	"rate.anonymous":     {"匿名评价", "Anonymous"},
	"rate.realname":      {"实名评价（便于回访）", "With my name (so we can call back)"},
	"rate.name":          {"姓名", "Name"},
	"rate.phone":         {"手机号码", "Phone number"},
	"rate.realname.note": {"选择实名评价时填写；信息受保护，不向被评价单位公开。", "Only for a real-name review; protected and never shown to the unit rated."},
	"rate.txn":           {"办件编号（选填）", "Transaction number (optional)"},
	"rate.submit":        {"提交评价", "Submit review"},
	"rate.errors":        {"请更正以下问题后再提交：", "Please correct this and submit again:"},
	"rate.expired":       {"页面已过期，您填写的内容已保留，请再次提交。", "This page had expired. What you typed is kept: please submit again."},
	"rate.optional":      {"不评", "Skip"},

	// Published figures read from a replica state how fresh they are.
	"figures.asof": {"数据截至", "Figures as of"},

	"stars.1": {"非常不满意", "Very dissatisfied"},
	"stars.2": {"不满意", "Dissatisfied"},
	"stars.3": {"基本满意", "Basically satisfied"},
	"stars.4": {"满意", "Satisfied"},
	"stars.5": {"非常满意", "Very satisfied"},

	"tag.attitude":        {"服务态度", "Service attitude"},
	"tag.materials":       {"材料收取", "Materials requested"},
	"tag.multiple_trips":  {"多次跑动", "Multiple trips"},
	"tag.missed_deadline": {"承诺时限未兑现", "Promised time not kept"},
	"tag.other":           {"其他", "Other"},

	"err.item":              {"请选择办理的事项。", "Choose the service you received."},
	"err.stage":             {"请选择该事项的办理环节。", "Choose a stage of this service."},
	"err.stars":             {"请选择 1–5 星。", "Choose 1 to 5 stars."},
	"err.dimensions":        {"分项评分须为 1–5 分。", "Dimension scores are 1 to 5."},
	"err.tags":              {"请从列表中选择问题。", "Choose problems from the list."},
	"err.comment":           {"意见不能超过 2000 字。", "The comment is longer than 2,000 characters."},
	"err.anonymous":         {"请选择匿名或实名评价。", "Choose anonymous or real-name."},
	"err.name":              {"实名评价请填写姓名（不超过 64 字）。", "Enter your name (up to 64 characters) for a real-name review."},
	"err.phone":             {"请填写正确的手机号码（11 位）或带区号的固定电话。", "Enter a valid mobile number (11 digits) or a landline with its area code."},
	"err.transaction_owner": {"办件编号须通过短信评价链接或窗口评价器评价。", "A transaction is rated through its invitation link or the window's rating device."},
	"err.transaction":       {"该办件的这个环节已经评价过了。", "This transaction has already been rated at this stage."},
	"err.client":            {"提交过于频繁，请稍后再试。您填写的内容已保留。", "Too many reviews from this device: please try again later. What you typed is kept."},
	"err.workstation":       {"工位信息无效，请重新扫码。", "The workstation is not valid: scan the code again."},

	"thanks.title":  {"感谢您的评价", "Thank you for your review"},
	"thanks.good":   {"您的评价已提交，我们会继续努力。", "Your review is in. We will keep it up."},
	"thanks.bad":    {"您的差评已转为 12345 工单，相关单位将在 1 个工作日内与您联系或处理。", "Your bad review has become a 12345 hotline work order. The unit responsible will act on it within one working day."},
	"thanks.number": {"工单编号", "Work order number"},
	"thanks.link":   {"您的专属查询链接", "Your private link"},
	"thanks.keep":   {"请保存此链接：凭此链接可查看办理进度，并在答复后评价是否满意。请勿分享给他人。", "Keep this link: it shows the progress and, once answered, lets you say whether you are satisfied. Do not share it."},
	"thanks.follow": {"查看办理进度", "See the progress"},
	"thanks.later":  {"追评凭证（追加评价时填写 later_token，仅限本人使用）：", "Your later-review token (give it as later_token to add a later review; keep it to yourself):"},
	"thanks.again":  {"返回首页", "Back to the home page"},
	"thanks.nowo":   {"您的评价已提交。", "Your review is in."},

	"follow.title":          {"差评工单办理进度", "Progress of your work order"},
	"follow.state":          {"当前状态", "State"},
	"follow.round":          {"办理轮次", "Round"},
	"follow.created":        {"提交时间", "Submitted"},
	"follow.updated":        {"最近更新", "Last update"},
	"follow.review":         {"您的评价", "Your review"},
	"follow.later":          {"承办单位答复后，您可以在此页面评价对处理结果是否满意。", "Once the unit has replied, you can say on this page whether you are satisfied."},
	"state.new":             {"已受理，待派单", "Received, awaiting dispatch"},
	"state.dispatched":      {"已派单，承办单位处理中", "Dispatched to the unit"},
	"state.replied":         {"承办单位已答复，待回访", "The unit has replied"},
	"state.closed":          {"已办结", "Closed"},
	"state.supervised":      {"市政府办公厅督办中", "Supervised by the General Office"},
	"state.not_satisfied":   {"您不满意，已转回12345热线重新办理", "Not satisfied: back with the 12345 hotline"},
	"follow.reply":          {"承办单位的答复", "The unit's answer"},
	"follow.replied":        {"答复时间", "Answered"},
	"follow.ask":            {"您对处理结果是否满意？", "Are you satisfied with how it was handled?"},
	"follow.ask.missing":    {"请选择满意或不满意。", "Choose satisfied or not satisfied."},
	"follow.yes":            {"满意", "Satisfied"},
	"follow.no":             {"不满意", "Not satisfied"},
	"follow.reason":         {"不满意的原因", "Why not satisfied"},
	"follow.reason.hint":    {"选择不满意时必填，工单将转回重新办理，直至您满意为止。", "Required when not satisfied: the order goes back to be handled again, until you are satisfied."},
	"follow.reason.missing": {"请说明不满意的原因。", "Say why you are not satisfied."},
	"follow.submit":         {"提交回访意见", "Send"},
	"follow.done":           {"谢谢，您的意见已收到。", "Thank you: your answer has been received."},
	"follow.closed":         {"工单已办结。感谢您的监督。", "The work order is closed. Thank you for helping us improve."},
	"follow.back":           {"您的意见已转回12345热线，将重新派单办理。", "Your answer went back to the 12345 hotline: the order will be dispatched again."},

	"error.title":           {"出错了", "Something went wrong"},
	"error.title.notfound":  {"页面不存在", "Page not found"},
	"error.title.forbidden": {"二维码无效", "This QR code is not valid"},
	"error.notfound":        {"您要找的页面不存在。", "There is no such page."},
	"error.expired":         {"此二维码已过期（二维码定期更换），无法评价。请扫描工位上现在张贴的二维码，或向大厅工作人员求助。", "This QR code has expired (codes are changed regularly), so it cannot be used to rate. Scan the code posted at the workstation now, or ask the hall staff."},
	"error.forbidden":       {"此二维码无效或已被改动，无法评价。请扫描工位上张贴的二维码，或向大厅工作人员求助。", "This QR code is not valid or has been altered, so it cannot be used to rate. Scan the code posted at the workstation, or ask the hall staff."},
	"error.invalid":         {"请求有误。", "The request is not valid."},
	"error.unavailable":     {"服务暂时不可用，请稍后再试。您填写的内容没有丢失，请返回上一页再次提交。", "The service is briefly unavailable: please try again in a few seconds. Go back to the previous page: what you typed is still there."},
	"error.internal":        {"系统繁忙，请稍后再试。您填写的内容没有丢失，请返回上一页再次提交。", "The system is busy: please try again shortly. Go back to the previous page: what you typed is still there."},

	"qr.title":            {"工位二维码打印", "Workstation QR codes for printing"},
	"qr.lead":             {"每个工位一张二维码，A4 纸打印，每页 12 张。", "One code per workstation, printed on A4, 12 to a page."},
	"qr.all":              {"全部工位", "All workstations"},
	"qr.scan":             {"扫码评价 · 政务服务好差评", "Scan to rate this service"},
	"qr.sheet":            {"二维码打印页", "QR sheet"},
	"qr.back":             {"返回二维码列表", "Back to the QR codes"},
	"qr.print":            {"打印", "Print"},
	"qr.all.lead":         {"全市工位二维码按区分别打印，每区一页打印文件，每页 12 张。", "The city's workstation codes are printed a district at a time: one file per district, 12 codes to a page."},
	"qr.col.district":     {"区", "District"},
	"qr.col.halls":        {"大厅", "Halls"},
	"qr.col.workstations": {"工位", "Workstations"},
	"qr.col.pages":        {"A4 页数", "A4 pages"},
}

// safeBack returns back when it is a path on this site, else "/": the
// preference links must not redirect elsewhere. Browsers drop tabs and
// newlines from a URL and read a backslash as a slash, so "/\t/evil" and
// "/\\evil" would leave the site: any control character or backslash is
// refused, and what is left must parse as a path with no scheme or host.
func safeBack(back string) string {
	if !strings.HasPrefix(back, "/") || strings.HasPrefix(back, "//") ||
		strings.ContainsFunc(back, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' }) {
		return "/"
	}
	u, err := url.Parse(back)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || !strings.HasPrefix(u.Path, "/") {
		return "/"
	}
	return back
}
