package web

// Texts of the citizen's pages added for issue 11: asking what went wrong
// before a bad review is sent, the thanks page's promise, finding an order
// again, and the whole story on the follow page. Kept apart from messages
// so that pages added at the same time merge cleanly.
var citizenMessages = map[string][2]string{
	"home.find": {"丢失了查询链接？凭工单编号和手机号找回您的工单", "Lost your private link? Find your work order by its number and your phone"},

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
