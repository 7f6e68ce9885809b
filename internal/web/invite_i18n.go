package web

// Texts of the invitation link's pages (invite.go), kept apart so that
// pages added at the same time merge cleanly.
var inviteMessages = map[string][2]string{
	"invite.title":         {"评价本次办件", "Rate your transaction"},
	"invite.lead":          {"您收到这条链接，是因为您办理了以下事项。此链接仅可评价一次。", "You got this link because you were served as below. The link rates once."},
	"invite.number":        {"办件编号", "Transaction number"},
	"invite.item":          {"办理事项", "Service"},
	"invite.unit":          {"办理单位", "Unit"},
	"invite.stages":        {"办理环节", "Stages"},
	"invite.finished":      {"办结日期", "Finished on"},
	"invite.until":         {"评价截止", "Rate by"},
	"invite.used.title":    {"此链接已使用", "This link has been used"},
	"invite.used":          {"本次办件已经评价过了，感谢您的评价。每条邀请链接只能评价一次。", "This transaction has been rated: thank you. Each invitation link rates once."},
	"invite.expired.title": {"评价期已结束", "The rating period has ended"},
	"invite.expired":       {"本次办件的评价期已于 %s 结束，此链接不能再使用。", "The rating period of this transaction ended on %s; the link no longer works."},
	"invite.elsewhere":     {"如对服务仍有意见，可以通过事项页面评价，或拨打 12345。", "If you still have something to say, rate the service from its page or call 12345."},
	"invite.optout":        {"不再接收评价邀请短信", "Do not send me invitations"},
	"invite.optout.hint":   {"此后不再向您的手机发送评价邀请和提醒。也可以回复短信 TD 退订。", "No more rating invitations or reminders will be texted to your phone. Replying TD to the text does the same."},
	"invite.optout.title":  {"已退订评价邀请", "Invitations stopped"},
	"invite.optout.done":   {"今后不会再向您的手机发送评价邀请和提醒。", "No more rating invitations or reminders will be texted to your phone."},
	"error.gone":           {"此链接已使用或已过期。", "This link has been used or has expired."},
}

func init() { addMessages(inviteMessages) }
