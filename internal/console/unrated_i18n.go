package console

// Texts of 主动评价好评率 and 未评率 on the dashboard.
var unratedMessages = map[string][2]string{
	"dash.active":       {"主动评价好评率", "Good rate (citizens' own reviews)"},
	"dash.unrated":      {"未评率", "Unrated rate"},
	"dash.transactions": {"办件", "transactions"},
}

func init() { addWords(unratedMessages) }
