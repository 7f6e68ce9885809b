package catalog_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/haocha/haocha/internal/catalog"
)

func TestPlaceNamesImported(t *testing.T) {
	files := map[string]string{
		"windows.csv":      "code,hall,name,name_en\nW3,H1,3号窗口,Window 3\nW4,H1,综合窗口,\n",
		"workstations.csv": "code,window,name,staff,name_en\nW3-2,W3,3号窗口2号工位,,\" Window 3, seat 2 \"\n",
		"places.json":      `{"windows":[{"code":"W3","hall":"H1","name":"3号窗口","name_en":"Window 3"},{"code":"W4","hall":"H1","name":"综合窗口"}],"workstations":[{"code":"W3-2","window":"W3","name":"3号窗口2号工位","name_en":"Window 3, seat 2"}]}`,
	}
	var windows []catalog.Window
	var stations []catalog.Workstation
	for name, body := range files {
		c, err := catalog.ReadFile(name, strings.NewReader(body), "")
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		windows, stations = append(windows, c.Windows...), append(stations, c.Workstations...)
	}
	for _, w := range windows {
		want := map[string]string{"W3": "Window 3", "W4": "综合窗口"}[w.Code]
		if got := w.NameIn("en"); got != want {
			t.Errorf("window %s in English: %q, want %q", w.Code, got, want)
		}
		if got := w.NameIn("zh"); strings.HasPrefix(got, "Window") {
			t.Errorf("window %s in Chinese: %q", w.Code, got)
		}
	}
	for _, w := range stations {
		if got := w.NameIn("en"); got != "Window 3, seat 2" {
			t.Errorf("workstation in English: %q, want it trimmed", got)
		}
	}
	if len(windows) != 4 || len(stations) != 2 {
		t.Fatalf("read %d windows and %d workstations, want 4 and 2", len(windows), len(stations))
	}
}

func TestPlaceNameEN(t *testing.T) {
	tests := []struct{ zh, window, workstation string }{
		{"3号窗口", "Window 3", ""},
		{"12号窗口4号工位", "", "Window 12, seat 4"},
		{"综合窗口", "", ""},
		{"1号工位", "", ""},
		{"3号窗口 ", "", ""},
		{"三号窗口", "", ""},
	}
	var got []struct{ zh, window, workstation string }
	for _, tt := range tests {
		got = append(got, struct{ zh, window, workstation string }{tt.zh, catalog.WindowNameEN(tt.zh), catalog.WorkstationNameEN(tt.zh)})
	}
	if diff := cmp.Diff(tests, got, cmp.AllowUnexported(tests[0])); diff != "" {
		t.Errorf("derived names (-want +got):\n%s", diff)
	}
}
