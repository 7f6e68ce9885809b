package demo

import "github.com/haocha/haocha/internal/review"

// The demo's complaints are built from parts, by complaint theme (the
// themes of internal/theme/themes.tsv): each of a theme's situations with
// each of its consequences gives one comment, so some 240 distinct texts
// read as many citizens wrote them, and each names its theme in words the
// theme's phrases find. A theme's reply answers all its comments.

// complaintTheme is one theme's parts, the review tag that names it
// outright ("other" where none does) and the unit's reply.
type complaintTheme struct {
	code       string // in themes.tsv
	tag        review.Tag
	situations []string
	outcomes   []string
	reply      [3]string // findings, rectification, answer to the citizen
}

var complaintThemes = []complaintTheme{
	{"attitude", review.Attitude,
		[]string{"窗口工作人员态度冷淡，问了两遍都不耐烦", "工作人员一直在玩手机，叫了几声才理我", "咨询的时候工作人员很不耐烦，语气很冲",
			"工作人员态度敷衍，问什么都说不知道", "办事员当着其他群众的面训人，让人很难堪", "工作人员跟同事聊天，把我晾在一边"},
		[]string{"希望加强服务意识", "体验很差", "这样的服务让人寒心", "希望领导管一管"},
		[3]string{"经调取窗口录像核实，工作人员答复时语气生硬。", "已对当事人批评教育，全员开展服务礼仪培训。", "您反映的问题属实，我们已整改，欢迎您再来监督。"}},
	{"materials", review.Materials,
		[]string{"材料清单上没写的材料现场又要求补交", "网上已经提交过的材料，到窗口又要纸质版", "要求提供的证明我根本开不出来",
			"同一份材料让我交三份复印件", "每页都要签字确认，少一份就不收", "原件已经核验过了又要重新交"},
		[]string{"白跑一趟", "也没有告诉替代办法", "希望清单写清楚", "手续太繁琐了"},
		[3]string{"材料清单未及时更新，窗口执行标准不一。", "已更新并公示材料清单，窗口统一按清单收件。", "材料清单已更新，今后不会再额外要求。"}},
	{"multiple_trips", review.MultipleTrips,
		[]string{"前后跑了三次才办成", "第三次来了还是没办成", "为了这件事请假跑了好几趟",
			"让我明天再来，今天又说还要再来一次", "在两个大厅之间来回跑", "上次说材料齐了，这次又让我改天再来"},
		[]string{"每次说法都不一样", "太折腾人了", "希望能一次办好", "时间都耽误了"},
		[3]string{"不同窗口对政策理解不一致，答复口径不统一。", "已统一业务口径并实行首问负责制。", "已明确由专人跟进您的事项，无需再跑。"}},
	{"missed_deadline", review.MissedDeadline,
		[]string{"承诺五个工作日办结，现在两周了还没有结果", "网上一直显示审核中，半个月没有进展", "说好三天出证，到期了还没拿到",
			"受理一个月了还没有下文", "超过承诺时限也没人通知我", "一直是受理中，打电话问也说不清什么时候好"},
		[]string{"耽误了我的事", "希望给个明确的时间", "不知道还要等多久", "希望尽快处理"},
		[3]string{"因审核环节积压，未能在承诺时限内办结。", "已增派审核人员并建立超时预警。", "您的事项已办结，对延误深表歉意。"}},
	{"queueing", review.OtherTag,
		[]string{"排队一个多小时，只开了两个窗口", "取号后等了两个小时才叫到", "人很多窗口少，排长队",
			"预约了时间到现场还要重新排队", "叫号太慢，一上午只轮到十几个人", "号已经发完了，白等一早上"},
		[]string{"建议高峰时段增加窗口", "老人站着等很辛苦", "希望改进", "太浪费时间"},
		[3]string{"高峰时段窗口开放不足，预约与取号系统未打通。", "已实行弹性窗口，预约到场后直接签到叫号。", "我们已调整窗口安排，预约后到场签到即可，感谢您的建议。"}},
	{"system_failure", review.OtherTag,
		[]string{"系统一直提示错误，打电话也没人解决", "网上提交到最后一步就报错", "自助机卡住吞卡了",
			"系统故障，窗口说今天办不了", "上传材料一直失败", "登录不了，验证码收不到"},
		[]string{"折腾了一下午", "希望尽快修复", "只好请假来现场", "不知道找谁"},
		[3]string{"系统接口故障导致提交失败。", "已修复故障并开通问题反馈专线。", "系统已修复，您可以重新提交。"}},
	{"information_unclear", review.OtherTag,
		[]string{"办事指南没写清楚要哪些材料", "网上说的和窗口说的不一样", "不知道该去哪个窗口办，导办台也说不清楚",
			"表格不知道怎么填，也没有填写说明", "问了三个人说法都不一样", "政策变了也没有公告"},
		[]string{"希望把信息写清楚", "浪费了很多时间", "希望统一口径", "让人无所适从"},
		[3]string{"办事指南与窗口口径不一致，引导标识不清。", "已修订办事指南，更新大厅引导标识并统一答复口径。", "办事指南已修订，您可拨打咨询电话获得准确答复。"}},
	{"fees", review.OtherTag,
		[]string{"说是免费办理，结果收了工本费", "加急费收了也没有加急", "多收了快递费也不给收据",
			"退费申请提交一个月了还没退款", "缴费的时候价格和公示的不一样", "被要求去指定地方做检测，费用很贵"},
		[]string{"希望公开收费标准", "不知道钱花到哪里", "希望退还多收的钱", "收费不透明"},
		[3]string{"收费告知不到位，个别项目执行标准有误。", "已在大厅和网上公示收费标准，多收费用已核实退还。", "多收的费用已退还，收费标准已公示，请您查收。"}},
	{"staff_competence", review.OtherTag,
		[]string{"工作人员业务不熟，让我去别的窗口问", "办事员不熟悉流程，查资料查了半天", "信息录错了，又要重新办",
			"新来的工作人员回答不了问题，只能请示领导", "证件上的名字打错了", "材料算错了金额，来回改了几次"},
		[]string{"希望加强培训", "耽误了很久", "让人不放心", "希望安排熟练的人员"},
		[3]string{"新进人员业务培训不到位。", "已组织业务培训并安排老员工带教。", "已对工作人员加强培训，欢迎再次监督。"}},
	{"facilities", review.OtherTag,
		[]string{"大厅座位太少，老人只能站着等", "大厅空调坏了，又热又挤", "停车位太少，找车位就花了半小时",
			"没有无障碍通道，轮椅进不去", "洗手间很脏，没人打扫", "填表台没有笔，也没有老花镜"},
		[]string{"希望改善办事环境", "体验不好", "希望尽快整改", "这些小事也应该做好"},
		[3]string{"大厅设施维护不及时。", "已维修设施，增设座椅和便民用品，安排专人巡查。", "大厅设施已整改，欢迎您再来监督。"}},
}

// complaint is one demo comment and its theme.
type complaint struct {
	text  string
	theme int // in complaintThemes
}

// complaints are every demo complaint, theme by theme.
var complaints = func() []complaint {
	var out []complaint
	for t, th := range complaintThemes {
		for _, s := range th.situations {
			for _, o := range th.outcomes {
				out = append(out, complaint{s + "，" + o, t})
			}
		}
	}
	return out
}()

// goodComments are what the satisfied say; most say nothing.
var goodComments = func() []string {
	praise := []string{"服务热情", "流程清楚", "工作人员很耐心", "比以前快多了", "网上办不用跑", "一窗通办很省心",
		"材料一次就收齐了", "预约后不用排队", "帮办员全程指导", "当场就拿到了证"}
	closing := []string{"，一次就办好了", "，很方便", "，点赞", "，给个好评", "，谢谢"}
	out := make([]string, 0, len(praise)*len(closing)*2)
	for _, p := range praise {
		for _, c := range closing {
			out = append(out, p+c)
		}
	}
	// As many blank as written: most citizens leave only the stars.
	return append(out, make([]string, len(out))...)
}()
