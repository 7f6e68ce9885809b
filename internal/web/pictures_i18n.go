package web

// Texts of the index pictures: the public index page and the index
// section of unit and item pages. Kept apart from messages so that pages
// added at the same time merge cleanly; a key in both is a mistake.
var pictureMessages = map[string][2]string{
	"nav.index":          {"评价指数排名", "Index rankings"},
	"home.index":         {"查看各区、各部门的评价指数排名和地图", "See how districts and departments rank on the evaluation index, and the map"},
	"index.title":        {"评价指数排名", "Evaluation index rankings"},
	"index.lead":         {"评价指数（0–100）综合星级、差评率、整改率、回访满意率和按时回复率。评价数不足 30 条的不参与排名。", "The evaluation index (0–100) combines stars, the bad-review rate, rectification, satisfaction at follow-up and on-time replies. Fewer than 30 reviews: not ranked."},
	"index.period":       {"统计期", "Period"},
	"index.version":      {"指标定义第 %d 版", "definition version %d"},
	"index.map":          {"各区评价指数地图", "Districts by index"},
	"index.map.h":        {"地图", "Map"},
	"index.map.note":     {"示意图：每个方块代表一个区，位置大致对应地理方位，并非实际边界。颜色越深，指数越高。", "A schematic map: one square per district, placed roughly where it lies; not its boundaries. Darker is a higher index."},
	"index.districts":    {"各区排名", "Districts"},
	"index.agencies":     {"市级部门排名", "Municipal departments"},
	"index.col.rank":     {"排名", "Rank"},
	"index.col.name":     {"名称", "Name"},
	"index.col.district": {"区", "District"},
	"index.col.index":    {"评价指数", "Index"},
	"index.col.n":        {"评价数", "Reviews"},
	"index.insufficient": {"样本不足", "Too few"},
	"index.table":        {"数据表", "Data table"},
	"score.title":        {"评价指数", "Evaluation index"},
	"score.index":        {"评价指数", "Index"},
	"score.rank":         {"排名", "Rank"},
	"score.rank.of":      {"第 %d 名，共 %d 个", "%d of %d"},
	"score.unranked":     {"未排名", "Not ranked"},
	"score.city":         {"全市指数", "City index"},
	"score.rect":         {"整改率", "Rectified"},
	"score.insufficient": {"样本不足：评价数少于 %d 条，不计算指数、不参与排名。", "Too few reviews (under %d): no index and no rank."},
	"score.compare":      {"与全市比较", "Compared with the city"},
	"score.indicator":    {"指标", "Indicator"},
	"score.trend.good":   {"好评率（4–5 星）月度趋势", "Good-review rate (4–5 stars) by month"},
	"score.trend.bad":    {"差评率（1–2 星）月度趋势", "Bad-review rate (1–2 stars) by month"},
	"score.month":        {"月份", "Month"},
	"score.city.name":    {"全市", "City"},
	"ind.good":           {"好评率", "Good-review rate"},
	"ind.bad":            {"差评率", "Bad-review rate"},
	"ind.rect":           {"整改率", "Rectification rate"},
	"ind.ontime":         {"按时回复率", "On-time reply rate"},
}

func init() { addMessages(pictureMessages) }
