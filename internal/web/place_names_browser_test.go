package web_test

import (
	"strings"
	"testing"
)

// TestBrowserPlaceNamesInEnglish: the hall page and the QR landing in
// English, on a phone and a desktop, name windows in English.
func TestBrowserPlaceNamesInEnglish(t *testing.T) {
	ctx := tab(t)
	ws := hall + "-W03-02"
	for name, path := range map[string]string{
		"hall-en":    "/halls/" + hall + "?lang=en",
		"landing-en": "/r/" + ws + "?t=" + token(ws) + "&lang=en",
	} {
		visit(t, ctx, path)
		noOverflow(t, ctx, name)
		widths(t, ctx, name)
		if body := text(t, ctx, "#main"); strings.Contains(body, "号窗口") || !strings.Contains(body, "Window 3") {
			t.Errorf("%s: want Window 3 and no 号窗口 in %.300q", name, body)
		}
	}
}
