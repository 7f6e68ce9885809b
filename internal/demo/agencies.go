package demo

import (
	"slices"
	"strings"
)

// agency is a municipal agency with the base services it owns; a base
// service becomes one catalogue item, or several (see variantsOf).
type agency struct {
	code, zh, en string
	community    bool // its services are also handled at community centres
	services     [][2]string
}

var agencies = []agency{
	{"SHFGW", "上海市发展和改革委员会", "Shanghai Development and Reform Commission", false, [][2]string{{"固定资产投资项目核准", "Fixed-asset investment project approval"}, {"节能审查", "Energy conservation review"}}},
	{"SHJXW", "上海市经济和信息化委员会", "Shanghai Commission of Economy and Informatization", false, [][2]string{{"无线电台执照核发", "Radio station licence"}, {"工业项目备案", "Industrial project filing"}}},
	{"SHSWW", "上海市商务委员会", "Shanghai Municipal Commission of Commerce", false, [][2]string{{"对外贸易经营者备案登记", "Foreign trade operator registration"}, {"单用途预付卡备案", "Single-purpose prepaid card filing"}}},
	{"SHJW", "上海市教育委员会", "Shanghai Municipal Education Commission", true, [][2]string{{"义务教育入学登记", "Compulsory education enrolment"}, {"教师资格认定", "Teacher qualification"}}},
	{"SHKW", "上海市科学技术委员会", "Shanghai Science and Technology Commission", false, [][2]string{{"高新技术企业认定", "High-tech enterprise recognition"}, {"技术合同登记", "Technology contract registration"}}},
	{"SHMZZJ", "上海市民族和宗教事务局", "Shanghai Ethnic and Religious Affairs Bureau", false, [][2]string{{"宗教活动场所登记", "Place of worship registration"}, {"清真食品准营证", "Halal food permit"}}},
	{"SHGA", "上海市公安局", "Shanghai Public Security Bureau", true, [][2]string{{"居民身份证申领", "Resident identity card"}, {"户口迁移登记", "Household registration transfer"}, {"出入境证件办理", "Exit-entry documents"}}},
	{"SHMZ", "上海市民政局", "Shanghai Civil Affairs Bureau", true, [][2]string{{"婚姻登记", "Marriage registration"}, {"最低生活保障", "Minimum living allowance"}, {"社会团体登记", "Social organisation registration"}}},
	{"SHSF", "上海市司法局", "Shanghai Justice Bureau", true, [][2]string{{"法律援助申请", "Legal aid application"}, {"公证执业证核发", "Notary practising certificate"}}},
	{"SHCZ", "上海市财政局", "Shanghai Finance Bureau", false, [][2]string{{"会计师事务所执业许可", "Accounting firm licence"}, {"政府采购供应商登记", "Government procurement supplier registration"}}},
	{"SHRSJ", "上海市人力资源和社会保障局", "Shanghai Human Resources and Social Security Bureau", true, [][2]string{{"社会保障卡申领", "Social security card"}, {"失业保险金申领", "Unemployment insurance benefit"}, {"退休审批", "Retirement approval"}}},
	{"SHGHZY", "上海市规划和自然资源局", "Shanghai Planning and Natural Resources Bureau", false, [][2]string{{"建设工程规划许可", "Construction project planning permit"}, {"不动产登记", "Real estate registration"}}},
	{"SHSTHJ", "上海市生态环境局", "Shanghai Ecology and Environment Bureau", false, [][2]string{{"排污许可", "Pollutant discharge permit"}, {"环境影响评价审批", "Environmental impact assessment approval"}}},
	{"SHZJW", "上海市住房和城乡建设管理委员会", "Shanghai Housing and Urban-Rural Construction Commission", false, [][2]string{{"建筑工程施工许可", "Construction permit"}, {"建筑业企业资质", "Construction enterprise qualification"}}},
	{"SHJTW", "上海市交通委员会", "Shanghai Transport Commission", false, [][2]string{{"道路运输经营许可", "Road transport licence"}, {"网络预约出租汽车驾驶员证", "Ride-hailing driver licence"}}},
	{"SHNYW", "上海市农业农村委员会", "Shanghai Agriculture and Rural Affairs Commission", false, [][2]string{{"兽药经营许可", "Veterinary drug trading licence"}, {"农作物种子生产经营许可", "Crop seed licence"}}},
	{"SHSWJ", "上海市水务局", "Shanghai Water Authority", false, [][2]string{{"取水许可", "Water abstraction permit"}, {"排水许可", "Drainage permit"}}},
	{"SHWLJ", "上海市文化和旅游局", "Shanghai Culture and Tourism Bureau", false, [][2]string{{"营业性演出许可", "Commercial performance permit"}, {"旅行社业务经营许可", "Travel agency licence"}}},
	{"SHWJW", "上海市卫生健康委员会", "Shanghai Health Commission", true, [][2]string{{"出生医学证明", "Birth medical certificate"}, {"医师执业注册", "Physician registration"}}},
	{"SHTYJ", "上海市退役军人事务局", "Shanghai Veterans Affairs Bureau", true, [][2]string{{"优待证申领", "Veteran preferential card"}, {"退役士兵安置", "Retired soldier placement"}}},
	{"SHYJJ", "上海市应急管理局", "Shanghai Emergency Management Bureau", false, [][2]string{{"危险化学品经营许可", "Hazardous chemicals trading licence"}, {"安全生产许可", "Work safety licence"}}},
	{"SHSJ", "上海市审计局", "Shanghai Audit Bureau", false, [][2]string{{"审计结果公告查询", "Audit result enquiry"}, {"内部审计备案", "Internal audit filing"}}},
	{"SHGZW", "上海市国有资产监督管理委员会", "Shanghai State-owned Assets Supervision Commission", false, [][2]string{{"国有资产产权登记", "State asset property registration"}, {"国有资产评估备案", "State asset valuation filing"}}},
	{"SHSCJG", "上海市市场监督管理局", "Shanghai Administration for Market Regulation", true, [][2]string{{"企业设立登记", "Company registration"}, {"食品经营许可", "Food business licence"}, {"个体工商户登记", "Individual business registration"}}},
	{"SHTYJU", "上海市体育局", "Shanghai Sports Bureau", false, [][2]string{{"高危险性体育项目经营许可", "High-risk sports licence"}, {"体育赛事备案", "Sports event filing"}}},
	{"SHTJJ", "上海市统计局", "Shanghai Statistics Bureau", false, [][2]string{{"涉外调查许可", "Foreign-related survey permit"}, {"统计登记", "Statistical registration"}}},
	{"SHYBJ", "上海市医疗保障局", "Shanghai Healthcare Security Bureau", true, [][2]string{{"医保关系转移接续", "Medical insurance transfer"}, {"异地就医备案", "Out-of-town medical care filing"}}},
	{"SHLHSR", "上海市绿化和市容管理局", "Shanghai Landscaping and City Appearance Bureau", false, [][2]string{{"户外广告设施设置许可", "Outdoor advertising permit"}, {"树木迁移审批", "Tree relocation approval"}}},
	{"SHFGJ", "上海市房屋管理局", "Shanghai Housing Administration Bureau", true, [][2]string{{"住房租赁合同登记备案", "Tenancy contract registration"}, {"公有住房差价换房", "Public housing exchange"}}},
	{"SHMFB", "上海市民防办公室", "Shanghai Civil Defence Office", false, [][2]string{{"人防工程竣工验收备案", "Civil defence works acceptance filing"}, {"民防工程使用登记", "Civil defence works use registration"}}},
	{"SHJRJ", "上海市地方金融管理局", "Shanghai Local Financial Administration", false, [][2]string{{"小额贷款公司设立", "Microcredit company establishment"}, {"融资担保公司设立", "Financing guarantee company establishment"}}},
	{"SHZSCQ", "上海市知识产权局", "Shanghai Intellectual Property Administration", false, [][2]string{{"专利费用减缴", "Patent fee reduction"}, {"商标质押登记", "Trademark pledge registration"}}},
	{"SHYJ", "上海市药品监督管理局", "Shanghai Medical Products Administration", false, [][2]string{{"药品经营许可", "Pharmaceutical trading licence"}, {"医疗器械经营备案", "Medical device trading filing"}}},
	{"SHSW", "国家税务总局上海市税务局", "Shanghai Tax Service", true, [][2]string{{"发票领用", "Invoice issuance"}, {"个人所得税汇算", "Individual income tax settlement"}}},
	{"SHGJJ", "上海市住房公积金管理中心", "Shanghai Housing Provident Fund Centre", true, [][2]string{{"公积金提取", "Provident fund withdrawal"}, {"公积金贷款", "Provident fund loan"}}},
	{"SHDSJ", "上海市大数据中心", "Shanghai Big Data Centre", false, [][2]string{{"电子证照调用授权", "E-licence use authorisation"}, {"公共数据开放申请", "Open data request"}}},
	{"SHDAJ", "上海市档案局", "Shanghai Archives Bureau", true, [][2]string{{"档案查阅利用", "Archive access"}, {"婚姻档案查询", "Marriage record enquiry"}}},
	{"SHXF", "上海市消防救援总队", "Shanghai Fire and Rescue Corps", false, [][2]string{{"公众聚集场所投入使用前消防安全检查", "Fire safety inspection of public venues"}, {"消防设计审查", "Fire protection design review"}}},
	{"SHHG", "上海海关", "Shanghai Customs", false, [][2]string{{"报关单位备案", "Customs declarant filing"}, {"进出口货物收发货人备案", "Importer and exporter filing"}}},
	{"SHYC", "上海市烟草专卖局", "Shanghai Tobacco Monopoly Bureau", false, [][2]string{{"烟草专卖零售许可", "Tobacco retail licence"}, {"烟草专卖批发许可", "Tobacco wholesale licence"}}},
	{"SHQXJ", "上海市气象局", "Shanghai Meteorological Service", false, [][2]string{{"防雷装置设计审核", "Lightning protection design review"}, {"升放气球资质认定", "Balloon release qualification"}}},
	{"SHTXGL", "上海市通信管理局", "Shanghai Communications Administration", false, [][2]string{{"增值电信业务经营许可", "Value-added telecom licence"}, {"电信网码号资源使用", "Telecom number resources"}}},
	{"SHCL", "上海市残疾人联合会", "Shanghai Disabled Persons' Federation", true, [][2]string{{"残疾人证办理", "Disability certificate"}, {"残疾人就业补贴", "Disability employment subsidy"}}},
	{"SHYZGL", "上海市邮政管理局", "Shanghai Postal Administration", false, [][2]string{{"快递业务经营许可", "Courier business licence"}, {"邮政企业设立分支机构", "Postal branch establishment"}}},
	{"SHLYJ", "上海市林业局", "Shanghai Forestry Bureau", false, [][2]string{{"林木采伐许可", "Tree felling permit"}, {"野生动物人工繁育许可", "Wildlife breeding permit"}}},
}

// Variants of a base service, as a city's catalogue lists them: a licence
// or permit is issued, changed, renewed and cancelled; an organisation is
// registered, changed and struck off; anything else is one item (nobody
// renews a retirement or cancels a birth certificate).
var (
	licenceVariants = [][2]string{{"（新办）", " (new)"}, {"（变更）", " (change)"}, {"（延续）", " (renewal)"}, {"（注销）", " (cancellation)"}}
	orgVariants     = [][2]string{{"（设立）", " (establishment)"}, {"（变更）", " (change)"}, {"（注销）", " (cancellation)"}}
	oneItem         = [][2]string{{"", ""}}
)

// licenceWords end the names of services issued for a term, and
// orgRegistrations are the registrations of an organisation.
var (
	licenceWords     = []string{"许可", "核准", "执照核发", "资质", "准营证", "执业证核发", "执业注册", "驾驶员证", "执业许可"}
	orgRegistrations = []string{"社会团体登记", "宗教活动场所登记", "个体工商户登记", "统计登记", "对外贸易经营者备案登记", "报关单位备案"}
)

// variantsOf lists the items base service svc (its Chinese name) becomes.
func variantsOf(svc string) [][2]string {
	if slices.Contains(orgRegistrations, svc) {
		return orgVariants
	}
	for _, w := range licenceWords {
		if strings.HasSuffix(svc, w) {
			return licenceVariants
		}
	}
	return oneItem
}

// stages is the full sequence an item's stages are drawn from.
var stages = [][3]string{
	{"consultation", "咨询", "Consultation"},
	{"application", "申请", "Application"},
	{"acceptance", "受理", "Acceptance"},
	{"review", "审查", "Review"},
	{"decision", "决定", "Decision"},
	{"delivery", "送达", "Delivery"},
}

var surnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")

var givenNames = []rune("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建文辉玲鹏飞红梅琳晨晓燕宇浩然欣怡子涵思远佳颖俊")
