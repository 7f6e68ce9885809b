// Package httpjson is the one HTTP edge every handler package shares: it
// reads JSON bodies with one set of rules and turns errors into statuses in
// one place, so the API, the consoles and the pages answer alike.
package httpjson

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/haocha/haocha/internal/apperr"
)

// MaxBody is the largest request body accepted, in bytes.
const MaxBody = 64 << 10

// Decode reads one JSON object of at most MaxBody bytes into v. Unknown and
// repeated member names are refused by name, so a misspelt field is an
// error and not silently lost; an empty body is refused.
func Decode(w http.ResponseWriter, r *http.Request, v any) error {
	return decode(w, r, v, false)
}

// DecodeOptional is Decode for actions whose fields are all optional: an
// empty body is an empty object.
func DecodeOptional(w http.ResponseWriter, r *http.Request, v any) error {
	return decode(w, r, v, true)
}

// DecodeLarge is Decode for a body of at most limit bytes: batches.
func DecodeLarge(w http.ResponseWriter, r *http.Request, v any, limit int64) error {
	return decodeLimit(w, r, v, false, limit)
}

func decode(w http.ResponseWriter, r *http.Request, v any, emptyOK bool) error {
	return decodeLimit(w, r, v, emptyOK, MaxBody)
}

func decodeLimit(w http.ResponseWriter, r *http.Request, v any, emptyOK bool, limit int64) error {
	buf := bodies.Get().(*[]byte)
	defer func() {
		if cap(*buf) <= maxKept {
			bodies.Put(buf)
		}
	}()
	data, err := readAll(http.MaxBytesReader(w, r.Body, limit), (*buf)[:0])
	*buf = data
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return apperr.New(apperr.Malformed, "body", "larger than %d bytes", limit)
		}
		return apperr.New(apperr.Malformed, "body", "unreadable: %v", err)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		if emptyOK {
			return nil
		}
		return apperr.New(apperr.Malformed, "body", "empty: want a JSON object")
	}
	// A browser posts text/plain or a form to another site without asking
	// it first; application/json it may not. Taking JSON only keeps other
	// websites from posting through their visitors' browsers.
	if ct := r.Header.Get("Content-Type"); ct != "application/json" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			return apperr.New(apperr.UnsupportedType, "Content-Type", "want application/json")
		}
	}
	if f, ok := v.(fastDecoder); ok && f.DecodeJSONFast(data) {
		return nil
	}
	// The decoder copies what it keeps out of data: the buffer is reused.
	return decodeError(json.Unmarshal(data, v, json.RejectUnknownMembers(true)))
}

// fastDecoder is a type with a decoder of its own for the bodies clients
// usually send (review.Submission: every review is one). It copies what it
// keeps out of data, decodes only what the general decoder would decode
// alike, and says false, leaving v as it was, for anything else: the
// general decoder then answers, its refusals named as ever.
type fastDecoder interface {
	DecodeJSONFast(data []byte) bool
}

// bodies are the buffers request bodies are read into, kept from one
// request to the next rather than grown anew for each; one grown past
// maxKept by a large body (a batch) is left to the collector.
var bodies = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

const maxKept = 64 << 10

// readAll is io.ReadAll into buf.
func readAll(r io.Reader, buf []byte) ([]byte, error) {
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// decodeError names the member at fault from the decoder's structured
// error: its JSON pointer, with dots for slashes ("dimensions.accuracy").
func decodeError(err error) error {
	if err == nil {
		return nil
	}
	var sem *json.SemanticError
	var syn *jsontext.SyntacticError
	switch {
	case errors.As(err, &sem) && sem.Err == json.ErrUnknownName:
		return apperr.New(apperr.Malformed, field(sem.JSONPointer), "unknown field")
	case errors.As(err, &syn) && syn.Err == jsontext.ErrDuplicateName:
		return apperr.New(apperr.Malformed, field(syn.JSONPointer), "repeated field")
	case errors.As(err, &sem) && sem.GoType != nil && sem.JSONPointer != "":
		return apperr.New(apperr.Malformed, field(sem.JSONPointer), "wrong type: want %s", sem.GoType)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return apperr.New(apperr.Malformed, "body", "malformed JSON: ends early")
	case errors.As(err, &syn):
		return apperr.New(apperr.Malformed, "body", "malformed JSON at byte %d: %v", syn.ByteOffset, syn.Err)
	}
	return apperr.New(apperr.Malformed, "body", "malformed JSON: %v", err)
}

func field(p jsontext.Pointer) string {
	var parts []string
	for tok := range p.Tokens() {
		parts = append(parts, tok)
	}
	// A member named "" would otherwise be reported under no name at all.
	if name := strings.Join(parts, "."); name != "" {
		return name
	}
	return "body"
}

// SendFile sends content as the file name, shown in the browser when
// inline, else downloaded; never cached, for reports are not public.
func SendFile(w http.ResponseWriter, name, contentType string, inline bool, content []byte) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	if !inline {
		h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	}
	h.Set("Content-Length", strconv.Itoa(len(content)))
	h.Set("Cache-Control", "no-store")
	w.Write(content)
}
