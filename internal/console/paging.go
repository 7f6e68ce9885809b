package console

// queuePage is how many rows the console's lists show by default; the API
// keeps its default of 200. Either takes ?limit= up to workorder.MaxPage.
const queuePage = 50

func init() {
	addWords(map[string][2]string{
		"flag.dispatch_late": {"派单超时", "dispatch late"},
		"page.nav":           {"翻页", "Pages"},
		"page.prev":          {"← 上一页", "← Previous"},
		"page.next":          {"下一页 →", "Next →"},
	})
}
