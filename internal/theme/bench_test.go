package theme

import (
	"strings"
	"testing"
)

func BenchmarkParse(b *testing.B) {
	for b.Loop() {
		tax, err := Parse(strings.NewReader(shipped))
		if err != nil {
			b.Fatal(err)
		}
		tax.models()
	}
}
