package qr_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/haocha/haocha/internal/qr"
	"github.com/haocha/haocha/internal/qr/qrtest"
)

// TestManyLinksReadBack reads back the SVG codes of workstation links on
// many server addresses: the link's length, and so the code's version and
// mask, changes with the port, and every one must scan.
func TestManyLinksReadBack(t *testing.T) {
	for port := 1000; port < 66000; port += 997 {
		for _, ws := range []string{"H310101-01-W01-01", "H310115-00-W40-20"} {
			link := fmt.Sprintf("http://127.0.0.1:%d/r/%s?t=Zm9vYmFyYmF6cXV4LTEyMzQ1Njc4", port, ws)
			code, err := qr.Encode(link)
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			if err := code.WriteSVG(&b, ws); err != nil {
				t.Fatal(err)
			}
			if got := qrtest.DecodeSVG(t, b.String()); got != link {
				t.Fatalf("reads %q, want %q", got, link)
			}
		}
	}
}
