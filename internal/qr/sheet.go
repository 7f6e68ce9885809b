package qr

import (
	"bufio"
	"html"
	"io"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
)

// Label is one workstation's code on a printable sheet.
type Label struct {
	URL         string // what the code encodes
	Hall        string // hall name
	Window      string // window name
	Workstation string // workstation name
	Code        string // workstation code, printed small for the maintainer
}

// Sheet is a printable A4 page set of workstation codes.
type Sheet struct {
	Lang       string // html lang attribute: zh-CN or en
	Title      string
	Stylesheet string // URL of the print stylesheet
	ScanHint   string // line printed under each code, e.g. "扫码评价"
	Codes      *Cache // where codes are kept between sheets; nil encodes every one
}

// chunk is how many labels are drawn in parallel before being written out
// in order; big enough to keep every core busy, small enough to stream.
const chunk = 256

// Write writes the sheet for labels as one HTML document, a section per
// hall so that each hall starts on a new page. Codes are drawn on every
// core; the output keeps the order of labels.
func (s Sheet) Write(w io.Writer, labels []Label) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString(`<!doctype html><html lang="` + html.EscapeString(s.Lang) + `"><head><meta charset="utf-8">` +
		`<meta name="viewport" content="width=device-width, initial-scale=1">` +
		`<title>` + html.EscapeString(s.Title) + `</title><link rel="stylesheet" href="` + html.EscapeString(s.Stylesheet) + `">` +
		`</head><body class="sheet"><main><h1 class="sheet-title">` + html.EscapeString(s.Title) + `</h1>`)
	out := make([][]byte, chunk)
	errs := make([]error, chunk)
	workers := runtime.GOMAXPROCS(0)
	hall := ""
	for start := 0; start < len(labels); start += chunk {
		batch := labels[start:min(start+chunk, len(labels))]
		var next atomic.Int64
		var wg sync.WaitGroup
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					i := int(next.Add(1) - 1)
					if i >= len(batch) {
						return
					}
					out[i], errs[i] = s.label(batch[i], out[i][:0])
				}
			}()
		}
		wg.Wait()
		for i, l := range batch {
			if errs[i] != nil {
				return errs[i]
			}
			if l.Hall != hall {
				if hall != "" {
					bw.WriteString(`</div></section>`)
				}
				hall = l.Hall
				bw.WriteString(`<section class="hall"><h2>` + html.EscapeString(l.Hall) + `</h2><div class="labels">`)
			}
			bw.Write(out[i])
		}
	}
	if hall != "" {
		bw.WriteString(`</div></section>`)
	}
	bw.WriteString(`</main></body></html>`)
	return bw.Flush()
}

// label draws one label into b.
func (s Sheet) label(l Label, b []byte) ([]byte, error) {
	encode := Encode
	if s.Codes != nil {
		encode = s.Codes.Encode
	}
	c, err := encode(l.URL)
	if err != nil {
		return b, err
	}
	buf := appendBuffer{b}
	// On screen the code is also a link, so the sheet can be tried
	// without a phone.
	buf.b = append(buf.b, `<figure class="label"><a href="`...)
	buf.b = append(buf.b, html.EscapeString(l.URL)...)
	buf.b = append(buf.b, `">`...)
	if err := c.WriteSVG(&buf, l.Window+" "+l.Workstation); err != nil {
		return b, err
	}
	buf.b = append(buf.b, `</a><figcaption><span class="l-hall">`...)
	buf.b = append(buf.b, html.EscapeString(l.Hall)...)
	buf.b = append(buf.b, `</span><strong>`...)
	name := l.Workstation
	if !strings.HasPrefix(name, l.Window) {
		name = l.Window + " · " + name
	}
	buf.b = append(buf.b, html.EscapeString(name)...)
	buf.b = append(buf.b, `</strong><span class="l-hint">`...)
	buf.b = append(buf.b, html.EscapeString(s.ScanHint)...)
	buf.b = append(buf.b, `</span><span class="l-code">`...)
	buf.b = append(buf.b, html.EscapeString(l.Code)...)
	buf.b = append(buf.b, `</span></figcaption></figure>`...)
	return buf.b, nil
}

type appendBuffer struct{ b []byte }

func (a *appendBuffer) Write(p []byte) (int, error) {
	a.b = append(a.b, p...)
	return len(p), nil
}
