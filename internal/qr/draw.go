package qr

import (
	"fmt"
	"io"
	"strconv"

	qrcode "github.com/skip2/go-qrcode"
)

// Level is the error correction printed codes use: medium survives a
// scuffed or partly covered sticker and keeps a workstation URL at version 4.
const Level = qrcode.Medium

// PNG draws content as a PNG of size pixels square.
func PNG(content string, size int) ([]byte, error) {
	return qrcode.Encode(content, Level, size)
}

// Code is an encoded QR code's modules, quiet zone included.
type Code [][]bool

// Encode encodes content at level M.
func Encode(content string) (Code, error) {
	if c, ok := encodeFast(content, -1); ok {
		return c, nil
	}
	q, err := qrcode.New(content, Level)
	if err != nil {
		return nil, fmt.Errorf("qr: %w", err)
	}
	return q.Bitmap(), nil
}

// WriteSVG writes c as an SVG drawing scaled to fit its container, with
// label as its accessible name. Dark modules are drawn as one stroked path
// of horizontal runs with relative moves, which keeps a sheet of thousands
// of codes small: about 2 KB a code.
func (c Code) WriteSVG(w io.Writer, label string) error {
	n := strconv.Itoa(len(c))
	b := make([]byte, 0, 2048)
	b = append(b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 `...)
	b = append(b, n...)
	b = append(b, ' ')
	b = append(b, n...)
	b = append(b, `" shape-rendering="crispEdges" role="img" aria-label="`...)
	b = appendEscaped(b, label)
	b = append(b, `"><rect width="100%" height="100%" fill="#fff"/><path stroke="#000" d="`...)
	for y, row := range c {
		cx := -1 // pen position in this row; -1 before the first run
		for x := 0; x < len(row); {
			if !row[x] {
				x++
				continue
			}
			start := x
			for x < len(row) && row[x] {
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
