package web

// Texts of the citizen's pages added for issue 11: asking what went wrong
// before a bad review is sent, the thanks page's promise, finding an order
// again, and the whole story on the follow page. Kept apart from messages
// so that pages added at the same time merge cleanly.
var citizenMessages = map[string][2]string{
	"home.find": {"丢失了查询链接？凭工单编号和手机号找回您的工单", "Lost your private link? Find your work order by its number and your phone"},

	"rate.bad.promise":   {"1–2 星的差评，只要勾选问题或写明意见，就会转为 12345 工单，办理到您满意为止。", "A 1–2 star review becomes a 12345 work order, followed until you are satisfied, once you tick a problem or write what went wrong."},
	"rate.bad.ask":       {"您选择了 1–2 星。遇到了什么问题？请勾选问题或写下意见，我们才能转为 12345 工单跟进办理。", "You gave 1–2 stars. What went wrong? Tick a problem or write a comment, so that a 12345 work order can follow it up."},
	"rate.bad.bare":      {"不填写问题，直接提交", "Send without saying what went wrong"},
	"rate.bad.bare.hint": {"没有具体问题的差评只计入统计，不会生成工单，也不会有人联系您。", "A bad review without a problem is counted, but opens no work order and nobody will contact you."},

	"thanks.rhythm.1": {"12345 热线在 1 个工作日内把工单派给负责的单位；", "The 12345 hotline passes it to the unit responsible within 1 working day;"},
	"thanks.rhythm.2": {"承办单位在派单后 1 个工作日内与您联系；", "the unit contacts you within 1 working day of receiving it;"},
	"thanks.rhythm.3": {"简单问题 5 个工作日内、复杂问题最迟 15 个工作日内答复，答复后您可以评价是否满意，不满意将重新办理。", "it answers within 5 working days for a simple matter, 15 at most for a complex one; then you say whether you are satisfied, and if not it is handled again."},
	"thanks.sms":      {"查询链接已通过短信发送到 %s。", "The private link has been texted to %s."},
	"thanks.noorder":  {"因为没有说明遇到的问题，这条差评不会生成工单，也不会有人联系您；它仍计入该单位的统计。如希望跟进处理，请重新评价并勾选问题或写下意见，或拨打 12345。", "Because it does not say what went wrong, this bad review opens no work order and nobody will contact you; it still counts in the unit's results. If you want it followed up, rate again with a problem or a comment, or call 12345."},

	"follow.unit":            {"承办单位", "Handled by"},
	"follow.due":             {"答复期限", "Answer due by"},
	"follow.steps":           {"办理进度", "Progress"},
	"follow.step.new":        {"12345 热线受理、派单", "12345 hotline: received, passing it on"},
	"follow.step.dispatched": {"承办单位办理", "The unit is handling it"},
	"follow.step.replied":    {"单位答复，请您评价", "The unit answered: your turn"},
	"follow.step.closed":     {"办结", "Closed"},
	"follow.story":           {"办理经过", "What has happened"},
	"story.opened":           {"您的差评已生成工单，由 12345 热线受理。", "Your bad review became a work order with the 12345 hotline."},
	"story.dispatched":       {"12345 热线已将工单派给承办单位。", "The 12345 hotline passed it to the unit responsible."},
	"story.redispatched":     {"12345 热线已重新派单，再次办理。", "The 12345 hotline passed it on again, to be handled once more."},
	"story.contacted":        {"承办单位已与您联系。", "The unit contacted you."},
	"story.replied":          {"承办单位已答复。", "The unit answered."},
	"story.satisfied":        {"您对处理结果表示满意。", "You said you were satisfied."},
	"story.not_satisfied":    {"您表示不满意，工单转回 12345 热线。您的原因：", "You said you were not satisfied, and it went back to the 12345 hotline. Your reason:"},
	"story.supervised":       {"市政府办公厅已介入督办。", "The General Office is now supervising it."},
	"story.closed":           {"工单经复核后办结。", "The work order was closed after review."},
	"story.round":            {"第 %d 轮", "round %d"},

	"find.title":       {"找回我的工单", "Find my work order"},
	"find.lead":        {"输入差评工单编号和实名评价时留下的手机号。如果两者相符，我们会向该手机发送 6 位验证码，输入后即可查看办理进度。", "Enter the work order number and the phone you gave with your real-name review. If they match, we text a 6-digit code to that phone; enter it to see the progress."},
	"find.anonymous":   {"匿名评价没有留下手机号，无法用此方式找回，只能使用提交评价时显示的专属链接。", "An anonymous review left no phone, so it cannot be found this way: only the private link shown when it was sent opens it."},
	"find.number.hint": {"以 GD 开头，例如 GD20260720000001。", "It starts with GD, for example GD20260720000001."},
	"find.phone":       {"实名评价时留下的手机号", "Phone given with the review"},
	"find.send":        {"发送验证码", "Send me a code"},
	"find.sent":        {"如果工单编号与手机号相符，验证码已发送到该手机，10 分钟内有效。没有收到？请核对编号和手机号，或一小时后再试。", "If the number and the phone match, a code is on its way to that phone; it is valid for 10 minutes. Nothing came? Check the number and the phone, or try again in an hour."},
	"find.code":        {"短信验证码", "Code from the text message"},
	"find.code.hint":   {"6 位数字。", "6 digits."},
	"find.open":        {"查看我的工单", "Open my work order"},
	"find.again":       {"重新输入工单编号和手机号", "Enter the number and phone again"},
	"find.err.number":  {"请填写工单编号。", "Enter the work order number."},
	"find.err.phone":   {"请填写正确的手机号码（11 位）或带区号的固定电话。", "Enter a valid mobile number (11 digits) or a landline with its area code."},
	"find.err.code":    {"验证码不正确或已过期。请核对短信，或重新获取验证码。", "The code is wrong or has expired. Check the text message, or ask for a new code."},
	"find.err.often":   {"尝试次数过多，请一小时后再试。", "Too many tries: please try again in an hour."},
}

func init() { addMessages(citizenMessages) }

// addMessages adds a page group's texts to messages; a key defined twice
// is a mistake caught at start.
func addMessages(m map[string][2]string) {
	for k, v := range m {
		if _, ok := messages[k]; ok {
			panic("web: message " + k + " defined twice")
		}
		messages[k] = v
	}
}
