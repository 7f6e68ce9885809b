package theme

import "testing"

func BenchmarkParse(b *testing.B) {
	for b.Loop() {
		tax, err := Parse(stringsReader(shipped))
		if err != nil {
			b.Fatal(err)
		}
		tax.models()
	}
}
