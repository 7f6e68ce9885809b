package web

// deviceMessages are the rating device's own texts; the star words and
// problem names are the rating form's.
var deviceMessages = map[string][2]string{
	"device.title":        {"窗口评价器", "Window rating device"},
	"device.pair.title":   {"配对本设备", "Pair this device"},
	"device.pair.help":    {"请管理员在管理后台“评价器”页面选择本工位并输入以下配对码：", "An administrator enters this code for this workstation on the console's Rating devices page:"},
	"device.pair.expires": {"配对码10分钟内有效，过期后自动更新。", "The code is valid for 10 minutes and renews itself."},
	"device.pair.wait":    {"正在获取配对码…", "Getting a pairing code…"},
	"device.idle.welcome": {"欢迎您！办理完成后请为本次服务评价", "Welcome! Please rate our service when your matter is done"},
	"device.staff":        {"当前工作人员", "Staff on duty"},
	"device.staff.code":   {"工号", "Staff no."},
	"device.rate.title":   {"请您为本次服务评价", "Please rate this service"},
	"device.rate.item":    {"办理事项", "Matter"},
	"device.rate.dims":    {"请为以下方面打分（选填）", "Rate these aspects (optional)"},
	"device.rate.tags":    {"遇到了什么问题？", "What went wrong?"},
	"device.rate.comment": {"意见建议（选填）", "Comment (optional)"},
	"device.rate.send":    {"提交评价", "Send rating"},
	"device.rate.skip":    {"暂不评价", "Not now"},
	"device.rate.change":  {"重新选择", "Choose again"},
	"device.qr":           {"用手机扫码评价本次服务", "Scan to rate this service on your phone"},
	"device.thanks":       {"感谢您的评价！", "Thank you for your rating!"},
	"device.queued":       {"网络中断：评价已保存在本机，恢复后自动提交。", "Offline: the rating is kept on this device and sent when the network is back."},
	"device.offline":      {"网络中断，正在重连…", "Offline, reconnecting…"},
	"device.lang":         {"语言", "Language"},
}

func init() {
	for k, v := range deviceMessages {
		messages[k] = v
	}
}
