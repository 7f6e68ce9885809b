package web

// Texts of 主动评价好评率 and 未评率 on the index pages and scorecards.
var unratedMessages = map[string][2]string{
	"score.active":       {"主动评价好评率", "Good rate (citizens' own reviews)"},
	"score.unrated":      {"未评率", "Unrated rate"},
	"score.transactions": {"办件", "transactions"},
	"ind.active":         {"主动评价好评率", "Good rate, own reviews"},
	"ind.unrated":        {"未评率", "Unrated rate"},
}

func init() { addMessages(unratedMessages) }
