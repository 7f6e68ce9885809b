package store_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/store"
)

func TestGuidesAndHallHoursStored(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		zh := catalog.Guide{Item: "GA-001", Lang: "zh", Materials: []string{"户口簿（原件）", "证件照片"}, Conditions: "本市户籍。\n未满 16 周岁由监护人陪同。",
			TimeLimit: "20 个工作日", Fees: "20 元", Place: "各区行政服务中心", Hours: "周一至周五 9:00–17:00"}
		en := catalog.Guide{Item: "GA-001", Lang: "en", Fees: "20 yuan"}
		hall := catalog.Hall{Code: "H1", NameZH: "黄浦区行政服务中心", Unit: "310101", District: "310101", Hours: "周一至周六 9:00–17:00", HoursEN: "Mon–Sat 9:00–17:00"}
		if err := st.ImportCatalog(ctx, &catalog.Catalog{Guides: []catalog.Guide{zh, en}, Halls: []catalog.Hall{hall}}); err != nil {
			t.Fatal(err)
		}
		got, err := st.Guides(ctx, "GA-001")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]catalog.Guide{en, zh}, got); diff != "" {
			t.Errorf("guides (-want +got):\n%s", diff)
		}
		// Importing a language again replaces that guide only.
		zh2 := catalog.Guide{Item: "GA-001", Lang: "zh", Fees: "不收费"}
		if err := st.ImportCatalog(ctx, &catalog.Catalog{Guides: []catalog.Guide{zh2}}); err != nil {
			t.Fatal(err)
		}
		if got, _ := st.Guides(ctx, "GA-001"); len(got) != 2 || !cmp.Equal(got[1], zh2) {
			t.Errorf("after re-import: %+v", got)
		}
		if got, _ := st.Guides(ctx, "SCJG-001"); len(got) != 0 {
			t.Errorf("an item without a guide: %+v", got)
		}
		h, err := st.Hall(ctx, "H1")
		if err != nil || h.Hours != hall.Hours || h.HoursEN != hall.HoursEN {
			t.Errorf("hall %+v, %v", h, err)
		}
		if hs, err := st.Halls(ctx, "310101"); err != nil || len(hs) != 1 || hs[0].OpeningHours("en") != "Mon–Sat 9:00–17:00" {
			t.Errorf("halls %+v, %v", hs, err)
		}
	})
}
