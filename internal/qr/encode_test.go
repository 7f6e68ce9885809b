package qr

import (
	"math/rand/v2"
	"strings"
	"testing"

	qrcode "github.com/skip2/go-qrcode"
)

// maskOf reads the mask a code was drawn with from its format bits.
func maskOf(c Code) int {
	at := func(x, y int) int {
		if c[y+quietZone][x+quietZone] {
			return 1
		}
		return 0
	}
	bits := 0
	for i := 0; i <= 5; i++ {
		bits |= at(8, i) << i
	}
	bits |= at(8, 7)<<6 | at(8, 8)<<7 | at(7, 8)<<8
	for i := 9; i < 15; i++ {
		bits |= at(14-i, 8) << i
	}
	return (bits ^ 0x5412) >> 10 & 7
}

// TestEncoderAgreesWithGeneralEncoder compares the quick encoder with the
// general one, module by module, under the mask the general one chose, for
// content of every length versions 1 to 10 hold. Lowercase text keeps both
// in byte mode.
func TestEncoderAgreesWithGeneralEncoder(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const letters = "abcdefghijklmnopqrstuvwxyz"
	for n := 1; n <= 213; n++ {
		var b strings.Builder
		for range n {
			b.WriteByte(letters[rng.IntN(len(letters))])
		}
		content := b.String()
		q, err := qrcode.New(content, qrcode.Medium)
		if err != nil {
			t.Fatal(err)
		}
		want := Code(q.Bitmap())
		got, ok := encodeFast(content, maskOf(want))
		if !ok {
			t.Fatalf("length %d: not encoded", n)
		}
		if len(got) != len(want) {
			t.Fatalf("length %d: size %d, want %d (version %d)", n, len(got), len(want), q.VersionNumber)
		}
		for y := range want {
			for x := range want[y] {
				if got[y][x] != want[y][x] {
					t.Fatalf("length %d (version %d, mask %d): module (%d,%d) differs", n, q.VersionNumber, maskOf(want), x-quietZone, y-quietZone)
				}
			}
		}
	}
	if _, ok := encodeFast(strings.Repeat("a", 214), -1); ok {
		t.Error("content over version 10 was taken by the quick encoder")
	}
}

func TestEncoderChoosesAMask(t *testing.T) {
	c, err := Encode("http://127.0.0.1:8080/r/H310101-00-W01-01?t=ih9a2LFXpWp4Wlsn_RzVKg")
	if err != nil {
		t.Fatal(err)
	}
	if len(c) != 37+2*quietZone {
		t.Errorf("size %d, want version 5 (37 modules) with its quiet zone", len(c))
	}
	// Long content falls back to the general encoder.
	if c, err := Encode(strings.Repeat("x", 400)); err != nil || len(c) < 57 {
		t.Errorf("long content: %d modules, %v", len(c), err)
	}
}
