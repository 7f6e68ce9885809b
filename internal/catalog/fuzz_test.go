package catalog_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/catalog"
)

// checkRefusal fails unless err is an import error that a user can act on:
// a field, a line inside the file, and an invalid-input apperr beneath.
func checkRefusal(t *testing.T, data []byte, err error) {
	t.Helper()
	var ie *catalog.ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("refusal %v is not an import error", err)
	}
	if lines := 1 + bytes.Count(data, []byte("\n")); ie.Line < 1 || ie.Line > lines {
		t.Fatalf("refusal %q names line %d of a file of %d lines", err, ie.Line, lines)
	}
	if e := apperr.As(err); e == nil || e.Code != apperr.Invalid || e.Field == "" {
		t.Fatalf("refusal %q is not an invalid-input error naming a field: %#v", err, e)
	}
}

// readBack writes c as a JSON import file and reads it again: what an
// import accepted must be importable as it was understood.
func readBack(t *testing.T, c *catalog.Catalog) {
	t.Helper()
	out, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	again, err := catalog.ReadFile("again.json", bytes.NewReader(out), "")
	if err != nil {
		t.Fatalf("accepted records refused when written back as %s: %v", out, err)
	}
	if diff := cmp.Diff(c, again, cmpopts.IgnoreUnexported(catalog.Catalog{}), cmpopts.EquateEmpty()); diff != "" {
		t.Fatalf("records changed on the way back (-first +again):\n%s", diff)
	}
}

// FuzzImportJSON reads arbitrary JSON import files: each is refused with
// its line and field, or read into records that survive a round trip.
func FuzzImportJSON(f *testing.F) {
	f.Add([]byte(`{"units":[{"code":"310104","kind":"district","name_zh":"徐汇区"},{"code":"XH-SCJG","kind":"agency","name_zh":"徐汇区市场监管局","district":"310104"}],
"items":[{"code":"X-1","name_zh":"企业设立登记","unit":"XH-SCJG","stages":[{"code":"acceptance","name_zh":"受理"}]}],
"halls":[{"code":"H9","name_zh":"徐汇区行政服务中心","unit":"310104","district":"310104","address":"漕溪北路"}],
"windows":[{"code":"H9-W1","hall":"H9","name":"1号窗口"}],
"staff":[{"code":"S9","name":"王芳","unit":"310104"}],
"workstations":[{"code":"H9-W1-1","window":"H9-W1","name":"1号工位","staff":"S9"}],
"hall_items":[{"hall":"H9","item":"X-1"}],
"guides":[{"item":"X-1","lang":"zh","materials":["申请书","身份证"],"time_limit":"1 个工作日","fees":"不收费"}]}`))
	f.Add([]byte("{\n\"items\": [\n{\"code\": 7}]}"))
	f.Add([]byte(`{"units":[{"code":"X","kind":"agency","name_zh":"某局"},{"code":"X","kind":"agency","name_zh":"某局"}]}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := catalog.ReadFile("c.json", bytes.NewReader(data), "")
		if err == nil {
			err = c.Check(known)
		}
		if err != nil {
			checkRefusal(t, data, err)
			return
		}
		readBack(t, c)
	})
}

// FuzzImportCSV reads arbitrary CSV import files of every kind: each is
// refused with its line and field, or read into records that the JSON
// format takes back unchanged.
func FuzzImportCSV(f *testing.F) {
	seeds := map[string]string{
		"units":        "code,kind,name_zh,name_en,district\n310104,district,徐汇区,Xuhui,\nXH-SCJG,agency,徐汇区市场监管局,,310104\n",
		"items":        "\ufeffcode,name_zh,unit\nX-1,企业设立登记,310101\n",
		"stages":       "item,code,name_zh\nOLD-1,accept,受理\n",
		"halls":        "code,name_zh,unit,address\nH9,\"大厅, 一楼\",310101,\"漕溪北路\"\n",
		"windows":      "code,hall,name\nW1,H1,\"1号\n",
		"workstations": "# comment\ncode,window,name,staff\nH1-W1-3,H1-W1,3号工位,\n",
		"staff":        "code,name,unit\nS1,王芳,310101\nS1,韩梅,310101\n",
		"hall_items":   "hall,item\nH1,OLD-1\n",
		"guides":       "item,lang,materials,fees\nOLD-1,zh,\"身份证\n户口簿\",不收费\n",
	}
	for i, k := range catalog.Kinds {
		f.Add(uint8(i), []byte(seeds[k]))
	}
	f.Fuzz(func(t *testing.T, kind uint8, data []byte) {
		k := catalog.Kinds[int(kind)%len(catalog.Kinds)]
		c, err := catalog.ReadFile(k+".csv", bytes.NewReader(data), "")
		if err == nil {
			err = c.Check(known)
		}
		if err != nil {
			checkRefusal(t, data, err)
			return
		}
		if k != "stages" { // stages have no record of their own in JSON
			readBack(t, c)
		}
	})
}
