package qr

import (
	"fmt"
	"testing"

	qrcode "github.com/skip2/go-qrcode"
)

// cityCodes is how many workstations the city prints codes for.
const cityCodes = 20000

// workstationURLs returns n distinct links shaped like the printed ones.
func workstationURLs(n int) []string {
	urls := make([]string, n)
	for i := range urls {
		urls[i] = fmt.Sprintf("http://127.0.0.1:8080/r/H310%03d-%02d-W%02d-%02d?t=ih9a2LFXpWp4Wlsn_RzVKg", i%16, i/1600, i/16%100, i%10)
	}
	return urls
}

// BenchmarkEncoders compares the quick encoder with the general one
// (github.com/skip2/go-qrcode) for one workstation code and for the whole
// city's codes, encoded one after another:
//
//	go test ./internal/qr -run '^$' -bench Encoders -benchmem
func BenchmarkEncoders(b *testing.B) {
	encoders := []struct {
		name   string
		encode func(string) error
	}{
		{"quick", func(s string) error {
			if _, ok := encodeFast(s, -1); !ok {
				return fmt.Errorf("not encoded: %q", s)
			}
			return nil
		}},
		{"library", func(s string) error {
			q, err := qrcode.New(s, Level)
			if err == nil {
				q.Bitmap()
			}
			return err
		}},
	}
	one := workstationURLs(1)
	city := workstationURLs(cityCodes)
	for _, e := range encoders {
		b.Run(e.name+"/one", func(b *testing.B) {
			for b.Loop() {
				if err := e.encode(one[0]); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(e.name+"/city", func(b *testing.B) {
			for b.Loop() {
				for _, u := range city {
					if err := e.encode(u); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
