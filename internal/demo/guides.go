package demo

import (
	"strings"
	"time"

	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/fraud"
)

// The demo's service guides (办事指南): a few well-known services carry
// their own materials, conditions, time limits and fees; the others a
// guide shaped like their agency's. Nothing here draws on the catalogue's
// random source, so the catalogue and the reviews stay as they were.

// guideText is one text in Chinese and English.
type guideText struct{ zh, en string }

// serviceGuide is what a base service's guide says beyond the common part.
type serviceGuide struct {
	materials  []guideText
	conditions guideText
	timeLimit  guideText
	fees       guideText
}

var (
	idCard       = guideText{"申请人有效身份证件（原件）", "The applicant's valid identity document (original)"}
	applyForm    = guideText{"申请表（原件 1 份，可在大厅或网上填写）", "Application form (1 original; fill it in at the hall or online)"}
	licence      = guideText{"营业执照或统一社会信用代码证明（复印件加盖公章）", "Business licence or unified social credit code certificate (copy with company seal)"}
	agentLetter  = guideText{"委托他人办理的，提交授权委托书及受托人身份证件", "If someone applies for you: a power of attorney and their identity document"}
	freeOfCharge = guideText{"不收费", "Free of charge"}
	twentyDays   = guideText{"20 个工作日（法定时限），承诺 10 个工作日", "20 working days by law; 10 working days promised"}
)

var serviceGuides = map[string]serviceGuide{
	"居民身份证申领": {
		materials:  []guideText{{"户口簿（原件）", "Household register (original)"}, {"原居民身份证（换领、补领时提交）", "The old identity card (when renewing or replacing)"}, {"符合标准的证件照片（可现场拍摄）", "A standard ID photo (can be taken at the hall)"}},
		conditions: guideText{"具有本市常住户口的中国公民；未满 16 周岁的由监护人陪同申领。", "Chinese citizens with permanent household registration in the city; under-16s apply with a guardian."},
		timeLimit:  guideText{"20 个工作日，可选邮寄送达", "20 working days; delivery by post on request"},
		fees:       guideText{"换领、补领 20 元；临时居民身份证 10 元", "Renewal or replacement 20 yuan; temporary identity card 10 yuan"},
	},
	"户口迁移登记": {
		materials:  []guideText{{"户口簿（原件）", "Household register (original)"}, {"准予迁入证明或房屋产权证明", "Permit to move in, or proof of property ownership"}},
		conditions: guideText{"符合本市户籍迁移政策规定的条件。", "Meets the conditions of the city's household registration policy."},
		timeLimit:  guideText{"即来即办（材料齐全时）", "Done while you wait (when the materials are complete)"},
		fees:       freeOfCharge,
	},
	"出入境证件办理": {
		materials:  []guideText{{"居民身份证（原件）", "Resident identity card (original)"}, {"原出入境证件（换发时提交）", "The old exit-entry document (when renewing)"}},
		conditions: guideText{"中国公民因私出国（境）。", "Chinese citizens travelling abroad for private purposes."},
		timeLimit:  guideText{"7 个工作日", "7 working days"},
		fees:       guideText{"普通护照 120 元；往来港澳通行证 60 元", "Ordinary passport 120 yuan; Hong Kong and Macao travel permit 60 yuan"},
	},
	"婚姻登记": {
		materials:  []guideText{{"双方居民身份证和户口簿（原件）", "Both parties' identity cards and household registers (originals)"}, {"双方近期半身免冠合影照片 2 张", "2 recent bareheaded half-length photos of the couple together"}},
		conditions: guideText{"男方年满 22 周岁、女方年满 20 周岁，双方自愿，且均无配偶。", "The man at least 22 and the woman at least 20, both willing and both unmarried."},
		timeLimit:  guideText{"当场办结", "Done on the spot"},
		fees:       freeOfCharge,
	},
	"社会保障卡申领": {
		materials:  []guideText{{"居民身份证（原件）", "Resident identity card (original)"}, {"符合标准的证件照片（可现场拍摄）", "A standard ID photo (can be taken at the hall)"}},
		conditions: guideText{"在本市参加社会保险的人员。", "People insured under the city's social insurance."},
		timeLimit:  guideText{"即时制卡；邮寄 5 个工作日", "Card made on the spot; 5 working days by post"},
		fees:       guideText{"首次申领免费；补领 20 元", "First card free; replacement 20 yuan"},
	},
	"失业保险金申领": {
		materials:  []guideText{{"居民身份证（原件）", "Resident identity card (original)"}, {"解除或终止劳动合同证明", "Proof that the employment contract ended"}},
		conditions: guideText{"非因本人意愿中断就业，缴纳失业保险费满 1 年，已办理失业登记并有求职要求。", "Lost work not by choice, paid unemployment insurance for at least 1 year, registered as unemployed and seeking work."},
		timeLimit:  guideText{"10 个工作日", "10 working days"},
		fees:       freeOfCharge,
	},
	"公积金提取": {
		materials:  []guideText{{"居民身份证（原件）", "Resident identity card (original)"}, {"提取事由证明（购房合同、租赁备案证明或退休证明等）", "Proof of the reason (purchase contract, registered tenancy or retirement certificate, etc.)"}, {"本人名下银行借记卡", "A debit card in your own name"}},
		conditions: guideText{"购买、建造、翻建、大修自住住房，偿还购房贷款本息，租房或离退休等。", "Buying, building or repairing your own home, repaying a mortgage, renting, or retirement."},
		timeLimit:  guideText{"3 个工作日到账", "Paid within 3 working days"},
		fees:       freeOfCharge,
	},
	"公积金贷款": {
		materials:  []guideText{{"借款人及配偶居民身份证、户口簿、婚姻状况证明", "Identity cards, household registers and marital status proof of the borrower and spouse"}, {"购房合同及首付款凭证", "Purchase contract and receipt of the down payment"}, {"收入证明", "Proof of income"}},
		conditions: guideText{"连续正常缴存住房公积金满 6 个月。", "Paid into the housing provident fund for 6 months in a row."},
		timeLimit:  guideText{"15 个工作日", "15 working days"},
		fees:       freeOfCharge,
	},
	"医保关系转移接续": {
		materials:  []guideText{{"居民身份证或社会保障卡（原件）", "Resident identity card or social security card (original)"}, {"参保凭证（转出地开具）", "Certificate of insurance (issued where you were insured)"}},
		conditions: guideText{"跨统筹地区流动就业的参保人员。", "Insured people who move to work in another insurance region."},
		timeLimit:  guideText{"15 个工作日", "15 working days"},
		fees:       freeOfCharge,
	},
	"异地就医备案": {
		materials:  []guideText{{"社会保障卡或医保电子凭证", "Social security card or electronic medical insurance certificate"}, {"异地居住证明或个人承诺书", "Proof of living elsewhere, or a personal undertaking"}},
		conditions: guideText{"本市参保人员长期在外地居住、工作或转外就医。", "City-insured people living or working elsewhere for long, or referred for treatment elsewhere."},
		timeLimit:  guideText{"即时办结", "Done at once"},
		fees:       freeOfCharge,
	},
	"企业设立登记": {
		materials:  []guideText{{"公司登记（备案）申请书", "Company registration application"}, {"公司章程", "Articles of association"}, {"股东主体资格证明或自然人身份证件", "Proof of each shareholder's status, or their identity documents"}, {"住所使用证明", "Proof of the right to use the registered address"}},
		conditions: guideText{"有符合规定的名称、住所、章程和组织机构。", "A lawful name, address, articles and organisation."},
		timeLimit:  guideText{"1 个工作日（材料齐全、符合法定形式）", "1 working day (when the materials are complete and in due form)"},
		fees:       freeOfCharge,
	},
	"不动产登记": {
		materials:  []guideText{{"不动产登记申请书", "Real estate registration application"}, {"申请人身份证明", "Proof of the applicant's identity"}, {"不动产权属来源证明（买卖合同、继承证明等）", "Proof of how the property was acquired (sale contract, inheritance, etc.)"}, {"完税凭证", "Tax payment receipt"}},
		conditions: guideText{"权属清楚、界址清楚、面积准确。", "Ownership, boundaries and area are clear."},
		timeLimit:  guideText{"5 个工作日；抵押登记 1 个工作日", "5 working days; mortgage registration 1 working day"},
		fees:       guideText{"住宅 80 元/件；非住宅 550 元/件", "Homes 80 yuan a case; other property 550 yuan a case"},
	},
	"个人所得税汇算": {
		materials:  []guideText{{"居民身份证（原件）", "Resident identity card (original)"}, {"收入及扣除项目的相关凭证", "Records of income and deductions"}},
		conditions: guideText{"纳税年度内取得综合所得且需要补税或申请退税的居民个人。", "Resident individuals with comprehensive income who owe tax or claim a refund for the year."},
		timeLimit:  guideText{"每年 3 月 1 日至 6 月 30 日办理", "From 1 March to 30 June each year"},
		fees:       freeOfCharge,
	},
}

// variantMaterials adds what a change, renewal or cancellation needs.
var variantMaterials = map[string]guideText{
	"（变更）": {"原批准文件或证件（原件）及变更事项证明", "The original approval or certificate, and proof of the change"},
	"（延续）": {"原批准文件或证件（原件），有效期届满 30 日前提出", "The original approval or certificate; apply at least 30 days before it expires"},
	"（注销）": {"注销申请书及原批准文件或证件（原件）", "A cancellation application and the original approval or certificate"},
	"（设立）": {"章程及负责人身份证明", "The articles of association and proof of the person in charge's identity"},
}

// guideHours are the hours items are handled, in the halls' hours.
var guideHours = guideText{"周一至周五 9:00–17:00，周六 9:00–12:00（法定节假日除外）", "Mon–Fri 9:00–17:00, Sat 9:00–12:00 (closed on public holidays)"}

// Halls' opening hours.
var (
	centreHours    = guideText{"周一至周五 9:00–17:00，周六 9:00–12:00", "Mon–Fri 9:00–17:00, Sat 9:00–12:00"}
	communityHours = guideText{"周一至周五 8:30–17:00，周六 9:00–12:00", "Mon–Fri 8:30–17:00, Sat 9:00–12:00"}
)

// openingOf is the hall's published hours as data (hall_hours), which
// screening reads: the centres' and the community centres' of the texts
// above.
func openingOf(h catalog.Hall) fraud.Hours {
	open := 9 * time.Hour
	if h.Hours == communityHours.zh {
		open = 8*time.Hour + 30*time.Minute
	}
	return fraud.Hours{
		fraud.Workday:  {Open: open, Close: 17 * time.Hour},
		fraud.Saturday: {Open: 9 * time.Hour, Close: 12 * time.Hour},
	}
}

// itemGuides returns the guides of the items of agency a made from base
// service svc in its variant v, in Chinese and English.
func itemGuides(code string, a agency, svc, v [2]string) []catalog.Guide {
	sg, known := serviceGuides[svc[0]]
	if !known {
		sg = serviceGuide{
			materials:  []guideText{applyForm, idCard},
			conditions: guideText{"符合《" + a.zh + "" + svc[0] + "办理规定》所列条件的公民、法人或其他组织。", "Citizens, companies or other organisations meeting the conditions of the " + a.en + "'s rules for " + strings.ToLower(svc[1][:1]) + svc[1][1:] + "."},
			timeLimit:  twentyDays,
			fees:       freeOfCharge,
		}
		if !a.community {
			sg.materials = append(sg.materials, licence)
		}
	}
	materials := append([]guideText{}, sg.materials...)
	if extra, ok := variantMaterials[v[0]]; ok {
		materials = append(materials, extra)
	}
	materials = append(materials, agentLetter)
	place := guideText{"各区行政服务中心" + a.zh + "窗口；也可在“一网通办”网上申请", "The " + a.en + " window of any district administrative service centre; or apply online"}
	if a.community {
		place = guideText{"各区行政服务中心、各社区事务受理服务中心；也可在“一网通办”网上申请", "Any district administrative service centre or community service centre; or apply online"}
	}
	var out []catalog.Guide
	for _, lang := range []string{"zh", "en"} {
		pick := func(t guideText) string {
			if lang == "en" {
				return t.en
			}
			return t.zh
		}
		g := catalog.Guide{Item: code, Lang: lang, Conditions: pick(sg.conditions), TimeLimit: pick(sg.timeLimit),
			Fees: pick(sg.fees), Place: pick(place), Hours: pick(guideHours)}
		for _, m := range materials {
			g.Materials = append(g.Materials, pick(m))
		}
		out = append(out, g)
	}
	return out
}
