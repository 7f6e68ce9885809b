package qr

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"strconv"
)

// PNG draws c as a two-colour PNG of size pixels square (or of one pixel a
// module if size is smaller than the code), whole pixels a module, centred.
func (c Code) PNG(size int) ([]byte, error) {
	scale := max(1, size/c.size)
	size = max(size, c.size)
	img := image.NewPaletted(image.Rect(0, 0, size, size), color.Palette{color.White, color.Black})
	at := (size - c.size*scale) / 2
	for y := range size {
		my := (y - at) / scale
		for x := range size {
			mx := (x - at) / scale
			if x >= at && y >= at && mx < c.size && my < c.size && c.Dark(mx, my) {
				img.Pix[img.PixOffset(x, y)] = 1
			}
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return nil, fmt.Errorf("qr: png: %w", err)
	}
	return b.Bytes(), nil
}

// WriteSVG writes c as an SVG drawing scaled to fit its container, with
// label as its accessible name. Dark modules are drawn as one stroked path
// of horizontal runs with relative moves, which keeps a sheet of thousands
// of codes small: about 2 KB a code.
func (c Code) WriteSVG(w io.Writer, label string) error {
	n := strconv.Itoa(c.size)
	b := make([]byte, 0, 2048)
	b = append(b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 `...)
	b = append(b, n...)
	b = append(b, ' ')
	b = append(b, n...)
	b = append(b, `" shape-rendering="crispEdges" role="img" aria-label="`...)
	b = appendEscaped(b, label)
	b = append(b, `"><rect width="100%" height="100%" fill="#fff"/><path stroke="#000" d="`...)
	for y := range c.size {
		cx := -1 // pen position in this row; -1 before the first run
		for x := 0; x < c.size; {
			if !c.Dark(x, y) {
				x++
				continue
			}
			start := x
			for x < c.size && c.Dark(x, y) {
				x++
			}
			if cx < 0 {
				b = append(b, 'M')
				b = strconv.AppendInt(b, int64(start), 10)
				b = append(b, ' ')
				b = strconv.AppendInt(b, int64(y), 10)
				b = append(b, ".5"...)
			} else {
				b = append(b, 'm')
				b = strconv.AppendInt(b, int64(start-cx), 10)
				b = append(b, " 0"...)
			}
			b = append(b, 'h')
			b = strconv.AppendInt(b, int64(x-start), 10)
			cx = x
		}
	}
	b = append(b, `"/></svg>`...)
	_, err := w.Write(b)
	return err
}

// appendEscaped appends s with the characters special in XML escaped.
func appendEscaped(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '<':
			b = append(b, "&lt;"...)
		case '>':
			b = append(b, "&gt;"...)
		case '&':
			b = append(b, "&amp;"...)
		case '"':
			b = append(b, "&#34;"...)
		default:
			b = append(b, c)
		}
	}
	return b
}
