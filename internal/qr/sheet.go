package qr

import (
	"bufio"
	"html"
	"io"
	"runtime"
	"strconv"
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
	// On screen only: a link back (Back, BackText) and a print button
	// (PrintText), which Script, when given, makes work.
	Back, BackText, PrintText, Script string
}

// PerPage is how many codes an A4 page holds: three columns, four rows.
const PerPage = 12

// chunk is how many labels are drawn in parallel before being written out
// in order; big enough to keep every core busy, small enough to stream.
const chunk = 256

// Write writes the sheet for labels as one HTML document, a section per
// hall and in it a page per PerPage codes, each page headed by its hall and
// number, so that every printed page, the first too, holds twelve codes
// and each hall starts on a new page. Codes are drawn on every core; the
// output keeps the order of labels.
func (s Sheet) Write(w io.Writer, labels []Label) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	script := ""
	if s.Script != "" {
		script = `<script src="` + html.EscapeString(s.Script) + `" defer></script>`
	}
	bw.WriteString(`<!doctype html><html lang="` + html.EscapeString(s.Lang) + `"><head><meta charset="utf-8">` +
		`<meta name="viewport" content="width=device-width, initial-scale=1">` +
		`<title>` + html.EscapeString(s.Title) + `</title><link rel="stylesheet" href="` + html.EscapeString(s.Stylesheet) + `">` +
		script + `</head><body class="sheet"><main><h1 class="sheet-title">` + html.EscapeString(s.Title) + `</h1>`)
	if s.Back != "" || s.PrintText != "" {
		bw.WriteString(`<nav class="sheet-tools">`)
		if s.Back != "" {
			bw.WriteString(`<a href="` + html.EscapeString(s.Back) + `" id="sheet-back">` + html.EscapeString(s.BackText) + `</a>`)
		}
		if s.PrintText != "" {
			// Hidden until the script can print: without it, the browser's
			// own print command does the same.
			bw.WriteString(`<button type="button" id="sheet-print" hidden>` + html.EscapeString(s.PrintText) + `</button>`)
		}
		bw.WriteString(`</nav>`)
	}
	perHall := map[string]int{}
	for _, l := range labels {
		perHall[l.Hall]++
	}
	inHall := 0 // labels of the current hall written so far
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
			if l.Hall != hall || inHall == 0 {
				if hall != "" {
					bw.WriteString(`</div></div></section>`)
				}
				hall, inHall = l.Hall, 0
				bw.WriteString(`<section class="hall">`)
			} else if inHall%PerPage == 0 {
				bw.WriteString(`</div></div>`)
			}
			if inHall%PerPage == 0 {
				pages := (perHall[hall] + PerPage - 1) / PerPage
				bw.WriteString(`<div class="page"><h2 class="page-head">` + html.EscapeString(l.Hall) +
					` <span class="page-no">` + strconv.Itoa(inHall/PerPage+1) + `/` + strconv.Itoa(pages) + `</span></h2><div class="labels">`)
			}
			inHall++
			bw.Write(out[i])
		}
	}
	if hall != "" {
		bw.WriteString(`</div></div></section>`)
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
