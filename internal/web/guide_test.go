package web_test

import (
	"context"
	"testing"

	"github.com/haocha/haocha/internal/catalog"
)

func TestItemPageShowsTheServiceGuide(t *testing.T) {
	c := newClient(t)
	tests := []struct {
		path string
		want []string
	}{
		{"/items/SHGA-001", []string{`id="guide"`, "申请材料", "户口簿（原件）", "申请条件", "办理时限", "20 个工作日",
			"收费标准", "换领、补领 20 元", "办理地点", "社区事务受理服务中心", "办理时间", "周一至周五 9:00–17:00"}},
		{"/items/SHGA-001?lang=en", []string{"What to bring", "Household register (original)", "Fees", "Renewal or replacement 20 yuan", "Mon–Fri 9:00–17:00"}},
		// A change needs the old certificate as well; a municipal-only
		// service is done at the district centres, by companies too.
		{"/items/SHFGW-002?lang=zh", []string{"申请表（原件 1 份", "营业执照或统一社会信用代码证明", "原批准文件或证件（原件）及变更事项证明", "各区行政服务中心上海市发展和改革委员会窗口"}},
	}
	for _, tt := range tests {
		mustContain(t, c.page(tt.path), tt.want...)
	}

	// An item with a Chinese guide only shows it on the English page,
	// marked as Chinese for screen readers.
	ctx := context.Background()
	if err := haocha.Store.ImportCatalog(ctx, &catalog.Catalog{Items: []catalog.Item{{Code: "T-GUIDE", NameZH: "测试事项", NameEN: "Test item", Unit: "SHGA"}},
		Guides: []catalog.Guide{{Item: "T-GUIDE", Lang: "zh", Fees: "不收费"}}}); err != nil {
		t.Fatal(err)
	}
	mustContain(t, c.page("/items/T-GUIDE?lang=en"), `id="guide" lang="zh-CN"`, "不收费", "Fees")
	// An item without a guide has no empty section.
	if err := haocha.Store.ImportCatalog(ctx, &catalog.Catalog{Items: []catalog.Item{{Code: "T-NOGUIDE", NameZH: "无指南事项", Unit: "SHGA"}}}); err != nil {
		t.Fatal(err)
	}
	mustNotContain(t, c.page("/items/T-NOGUIDE"), `id="guide"`)
}
