package catalog_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/haocha/haocha/internal/catalog"
)

func TestGuidesImport(t *testing.T) {
	csv := "item,lang,materials,conditions,time_limit,fees,place,hours\n" +
		"OLD-1,zh,\"居民身份证（原件）\n 户口簿（原件） \n\",\"本市户籍。\n未满 16 周岁由监护人陪同。\",20 个工作日,20 元,各区行政服务中心,周一至周五 9:00–17:00\n" +
		"OLD-1,en,Identity card (original),,20 working days,20 yuan,,\n"
	c, err := catalog.ReadFile("guides.csv", strings.NewReader(csv), "")
	if err == nil {
		err = c.Check(known)
	}
	if err != nil {
		t.Fatal(err)
	}
	want := []catalog.Guide{
		{Item: "OLD-1", Lang: "zh", Materials: []string{"居民身份证（原件）", "户口簿（原件）"}, Conditions: "本市户籍。\n未满 16 周岁由监护人陪同。",
			TimeLimit: "20 个工作日", Fees: "20 元", Place: "各区行政服务中心", Hours: "周一至周五 9:00–17:00"},
		{Item: "OLD-1", Lang: "en", Materials: []string{"Identity card (original)"}, TimeLimit: "20 working days", Fees: "20 yuan"},
	}
	if diff := cmp.Diff(want, c.Guides); diff != "" {
		t.Errorf("guides (-want +got):\n%s", diff)
	}
	readBack(t, c)

	// JSON holds the materials as a list; halls carry their hours.
	json := `{"halls":[{"code":"H9","name_zh":"大厅","unit":"310101","hours":"周一至周五 9:00–17:00","hours_en":"Mon–Fri 9:00–17:00"}],
"guides":[{"item":"OLD-1","lang":"en","materials":["Identity card","  "],"fees":"Free"}]}`
	c, err = catalog.ReadFile("c.json", strings.NewReader(json), "")
	if err == nil {
		err = c.Check(known)
	}
	if err != nil {
		t.Fatal(err)
	}
	if g := c.Guides[0]; len(g.Materials) != 1 || g.Fees != "Free" || c.Halls[0].OpeningHours("en") != "Mon–Fri 9:00–17:00" {
		t.Errorf("read %+v and %+v", g, c.Halls[0])
	}
}

func TestGuidesRefused(t *testing.T) {
	long := func(n int) string { return strings.Repeat("字", n) }
	head := "item,lang,materials,conditions,time_limit,fees,place,hours\n"
	tests := []struct {
		name, file, body string
		line             int
		field, msg       string
	}{
		{"no item", "guides.csv", head + ",zh,,,,,,\n", 2, "item", "required"},
		{"unknown item", "guides.csv", head + "OLD-1,zh,,,,,,\nGONE,zh,,,,,,\n", 3, "item", `unknown item "GONE"`},
		{"language", "guides.csv", head + "OLD-1,fr,,,,,,\n", 2, "lang", "want zh or en"},
		{"repeated", "guides.csv", head + "OLD-1,zh,,,,,,\nOLD-1,en,,,,,,\nOLD-1,zh,,,,,,\n", 4, "lang", "repeats line 2"},
		{"a material too long", "guides.csv", head + "OLD-1,zh," + long(201) + ",,,,,\n", 2, "materials", "at most 200 characters"},
		{"too many materials", "guides.csv", head + "OLD-1,zh,\"" + strings.Repeat("材料\n", 31) + "\",,,,,\n", 2, "materials", "at most 30 materials"},
		{"conditions too long", "guides.csv", head + "OLD-1,zh,," + long(2001) + ",,,,\n", 2, "conditions", "at most 2000"},
		{"time limit too long", "guides.csv", head + "OLD-1,zh,,," + long(101) + ",,,\n", 2, "time_limit", "at most 100"},
		{"fees too long", "guides.csv", head + "OLD-1,zh,,,," + long(501) + ",,\n", 2, "fees", "at most 500"},
		{"place too long", "guides.csv", head + "OLD-1,zh,,,,," + long(501) + ",\n", 2, "place", "at most 500"},
		{"hours too long", "guides.csv", head + "OLD-1,zh,,,,,," + long(201) + "\n", 2, "hours", "at most 200"},
		{"line break in fees", "guides.csv", head + "OLD-1,zh,,,,\"20 元\n另收\",,\n", 2, "fees", "control characters"},
		{"json control character", "c.json", "{\"guides\": [\n{\"item\":\"OLD-1\",\"lang\":\"zh\",\"place\":\"大厅\\u0007\"}]}", 2, "place", "control characters"},
		{"hall hours too long", "halls.csv", "code,name_zh,unit,hours\nH9,大厅,310101," + long(201) + "\n", 2, "hours", "at most 200"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := catalog.ReadFile(tt.file, strings.NewReader(tt.body), "")
			if err == nil {
				err = c.Check(known)
			}
			var ie *catalog.ImportError
			if !errors.As(err, &ie) {
				t.Fatalf("err = %v, want an import error", err)
			}
			if ie.Line != tt.line || ie.Field != tt.field || !strings.Contains(ie.Msg, tt.msg) {
				t.Errorf("got %q, want line %d: %s: …%s…", err, tt.line, tt.field, tt.msg)
			}
		})
	}
}

func TestPickGuide(t *testing.T) {
	zh, en := catalog.Guide{Lang: "zh", Fees: "不收费"}, catalog.Guide{Lang: "en", Fees: "Free"}
	if g, _ := catalog.PickGuide([]catalog.Guide{en, zh}, "en"); g.Fees != "Free" {
		t.Errorf("en: %+v", g)
	}
	if g, ok := catalog.PickGuide([]catalog.Guide{zh}, "en"); !ok || g.Fees != "不收费" {
		t.Errorf("en without an English guide: %+v, want the Chinese one", g)
	}
	if _, ok := catalog.PickGuide(nil, "zh"); ok {
		t.Error("no guides: found one")
	}
}
