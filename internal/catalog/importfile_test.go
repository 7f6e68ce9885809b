package catalog_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/haocha/haocha/internal/catalog"
)

// known is a stored catalogue of one district and one item.
func known(kind, code string) bool {
	return (kind == "units" && code == "310101") || (kind == "items" && code == "OLD-1")
}

func TestReadFileRejectsWithLine(t *testing.T) {
	tests := []struct {
		name, file, kind, body string
		line                   int
		field, msg             string
	}{
		{"csv unknown column", "units.csv", "", "code,kind,name_zh,colour\n", 1, "colour", "unknown column"},
		{"csv missing column", "items.csv", "", "code,name_zh\nA,甲\n", 1, "unit", "missing column"},
		{"csv bad kind", "units.csv", "", "code,kind,name_zh\nX1,agency,某局\nX2,bureau,某处\n", 3, "kind", `"bureau"`},
		{"csv duplicate code", "staff.csv", "", "code,name,unit\nS1,王芳,310101\nS2,李雷,310101\nS1,韩梅,310101\n", 4, "code", "repeats the staff on line 2"},
		{"csv empty name", "items.csv", "", "code,name_zh,unit\nA-1,,310101\n", 2, "name_zh", "required"},
		{"csv bad code", "halls.csv", "", "code,name_zh,unit\n\"H 1\",大厅,310101\n", 2, "code", "not a code"},
		{"csv unknown reference", "items.csv", "", "# comment\ncode,name_zh,unit\nA-1,甲,310101\nA-2,乙,NOPE\n", 4, "unit", `unknown unit "NOPE"`},
		{"csv stages of unknown item", "stages.csv", "", "item,code,name_zh\nOLD-1,accept,受理\nGONE,accept,受理\n", 3, "item", `unknown item "GONE"`},
		{"csv unclosed quote", "windows.csv", "", "code,hall,name\nW1,H1,\"1号\n", 2, "csv", "quote"},
		{"csv window name_en too long", "windows.csv", "", "code,hall,name,name_en\nW1,H1,1号窗口,Window 1\nW2,H1,2号窗口," + strings.Repeat("x", catalog.MaxPlaceNameLen+1) + "\n", 3, "name_en", "at most 100 characters"},
		{"json workstation name_en control", "c.json", "", "{\"workstations\": [\n{\"code\":\"WS1\",\"window\":\"W1\",\"name\":\"1号窗口1号工位\",\"name_en\":\"Window\\t1\"}]}", 2, "name_en", "control characters"},
		{"csv kind from flag", "data.csv", "units", "code,kind,name_zh\nX,agency,\n", 2, "name_zh", "required"},
		{"csv kind unknown", "data.csv", "", "code\n", 1, "kind", "cannot tell"},
		{"csv not UTF-8", "staff.csv", "", "code,name,unit\nS1,王芳,310101\nS2,\xcd\xf5\xb7\xbc,310101\n", 3, "name", "not UTF-8"},
		{"json not UTF-8", "c.json", "", "{\"staff\": [\n{\"code\":\"S2\",\"name\":\"\xcd\xf5\",\"unit\":\"310101\"}]}", 2, "json", "not UTF-8"},
		{"json syntax", "c.json", "", "{\n  \"units\": [\n    {\"code\": \"X\",, }\n  ]\n}", 3, "units", "invalid character"},
		{"json unknown field", "c.json", "", "{\"units\": [\n{\"code\":\"X\",\"kind\":\"agency\",\"name_zh\":\"某局\"},\n{\"code\":\"Y\",\"colour\":1}]}", 3, "units", "unknown field"},
		{"json wrong type", "c.json", "", "{\"items\": [\n\n{\"code\": 7}]}", 3, "items.code", "wrong type"},
		{"json unknown key", "c.json", "", "{\n\"agencies\": []}", 2, "agencies", "unknown key"},
		{"json unknown reference", "c.json", "", "{\"units\": [{\"code\":\"A\",\"kind\":\"agency\",\"name_zh\":\"某局\"}],\n\"items\": [\n  {\"code\":\"A-1\",\"name_zh\":\"甲\",\"unit\":\"A\",\"stages\":[{\"code\":\"s\",\"name_zh\":\"受理\"}]},\n  {\"code\":\"A-2\",\"name_zh\":\"乙\",\"unit\":\"B\"}\n]}", 4, "unit", `unknown unit "B"`},
		{"json duplicate stage", "c.json", "", "{\"items\": [\n{\"code\":\"A-1\",\"name_zh\":\"甲\",\"unit\":\"310101\",\"stages\":[{\"code\":\"s\",\"name_zh\":\"受理\"},{\"code\":\"s\",\"name_zh\":\"受理\"}]}]}", 2, "stages.code", "repeats"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := catalog.ReadFile(tt.file, strings.NewReader(tt.body), tt.kind)
			if err == nil {
				err = c.Check(known)
			}
			var ie *catalog.ImportError
			if !errors.As(err, &ie) {
				t.Fatalf("err = %v, want an import error", err)
			}
			if ie.File != tt.file || ie.Line != tt.line || ie.Field != tt.field || !strings.Contains(ie.Msg, tt.msg) {
				t.Errorf("got %q, want %s:%d: %s: …%s…", err, tt.file, tt.line, tt.field, tt.msg)
			}
		})
	}
}

func TestReadFileAccepts(t *testing.T) {
	csvFiles := map[string]string{
		"units.csv":        "code,kind,name_zh,name_en,district\n310104,district,徐汇区,Xuhui,\nXH-SCJG,agency,徐汇区市场监管局,,310104\n",
		"items.csv":        "\ufeffcode,name_zh,unit\nX-1,企业设立登记,310101\n",
		"stages.csv":       "item,code,name_zh\nOLD-1,application,申请\nOLD-1,acceptance,受理\n",
		"2026-halls.csv":   "code,name_zh,unit,district\nH9,徐汇区行政服务中心,310104,310104\n",
		"hall_items.csv":   "hall,item\nH9,OLD-1\n",
		"workstations.csv": "code,window,name,staff\nWS1,W1,1号工位,\n",
	}
	for name, body := range csvFiles {
		c, err := catalog.ReadFile(name, strings.NewReader(body), "")
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		err = c.Check(func(kind, code string) bool {
			return known(kind, code) || code == "W1" || code == "310104" || code == "H9"
		})
		if err != nil {
			t.Errorf("%s: check: %v", name, err)
		}
	}
	c, _ := catalog.ReadFile("stages.csv", strings.NewReader(csvFiles["stages.csv"]), "")
	if len(c.Items) != 1 || len(c.Items[0].Stages) != 2 || c.Items[0].Stages[1].Code != "acceptance" {
		t.Errorf("stages read as %+v, want one item with two ordered stages", c.Items)
	}
	c, _ = catalog.ReadFile("units.csv", strings.NewReader(csvFiles["units.csv"]), "")
	if c.Units[0].District != "310104" {
		t.Errorf("a district's district = %q, want its own code", c.Units[0].District)
	}
}
