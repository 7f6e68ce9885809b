package loadgen_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/haocha/haocha/internal/demo"
	"github.com/haocha/haocha/internal/loadgen"
	"github.com/haocha/haocha/internal/review"
)

// loadgen's submissions are json.Marshal's bytes: the generator's, and
// every member of review.Submission set, with strings that json.Marshal
// escapes, or empty.
func TestAppendSubmissionAsMarshal(t *testing.T) {
	same := func(s review.Submission) {
		t.Helper()
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := loadgen.AppendSubmission([]byte("x"), &s); !bytes.Equal(got[1:], want) || got[0] != 'x' {
			t.Fatalf("\n%s\njson.Marshal:\n%s", got, want)
		}
	}
	g := loadgen.NewGenerator(loadgen.NewIndex(demo.Catalog(), review.DefaultDimensions), 3)
	for range 20000 {
		same(g.Next())
	}
	same(review.Submission{})
	for _, text := range []string{"a", "好 \uFFFD", `"`, `\`, "<", ">", "&", "\x01", "\t", "\u2028", "\u2029", "\xff", "bad \xe5\xa5 utf-8"} {
		var s review.Submission
		v := reflect.ValueOf(&s).Elem()
		for i := range v.NumField() {
			f := v.Field(i)
			if !v.Type().Field(i).IsExported() {
				continue
			}
			switch f.Kind() {
			case reflect.String:
				f.SetString(text)
			case reflect.Int:
				f.SetInt(-3)
			case reflect.Bool:
				f.SetBool(true)
			case reflect.Pointer: // *bool
				f.Set(reflect.New(f.Type().Elem()))
			case reflect.Map:
				f.Set(reflect.ValueOf(map[string]int{text: 2, "b": 1, "a": 5}))
			case reflect.Slice:
				f.Set(reflect.ValueOf([]string{text, "b"}))
			default:
				t.Fatalf("field %s of kind %s: teach the test and appendSubmission", v.Type().Field(i).Name, f.Kind())
			}
		}
		same(s)
	}
}

// BenchmarkSubmissionJSON is a generated submission's body as loadgen
// made it before (json.Marshal) and as it makes it now (appendSubmission,
// into a reused buffer).
func BenchmarkSubmissionJSON(b *testing.B) {
	g := loadgen.NewGenerator(loadgen.NewIndex(demo.Catalog(), review.DefaultDimensions), 3)
	subs := make([]review.Submission, 1024)
	for i := range subs {
		subs[i] = g.Next()
	}
	b.Run("marshal", func(b *testing.B) {
		b.ReportAllocs()
		for i := range b.N {
			if _, err := json.Marshal(subs[i%len(subs)]); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("append", func(b *testing.B) {
		b.ReportAllocs()
		var buf []byte
		for i := range b.N {
			buf = loadgen.AppendSubmission(buf[:0], &subs[i%len(subs)])
		}
	})
}
