package qr

import (
	"fmt"

	qrcode "github.com/skip2/go-qrcode"
)

// Level is the error correction printed codes use: medium survives a
// scuffed or partly covered sticker and keeps a workstation URL at version 5.
const Level = qrcode.Medium

// Code is an encoded QR code's modules, quiet zone included, packed a bit
// a module so that the whole city's codes fit in a few megabytes of cache.
type Code struct {
	size int      // modules on a side
	dark []uint64 // row-major, bit i%64 of word i/64 is module i
}

// Encode encodes content at level M with github.com/skip2/go-qrcode, which
// picks the mask of lowest penalty as the standard asks.
func Encode(content string) (Code, error) {
	q, err := qrcode.New(content, Level)
	if err != nil {
		return Code{}, fmt.Errorf("qr: %w", err)
	}
	return pack(q.Bitmap()), nil
}

// pack turns a square bitmap into a Code.
func pack(bitmap [][]bool) Code {
	n := len(bitmap)
	c := Code{size: n, dark: make([]uint64, (n*n+63)/64)}
	for y, row := range bitmap {
		for x, d := range row {
			if d {
				i := y*n + x
				c.dark[i/64] |= 1 << (i % 64)
			}
		}
	}
	return c
}

// Size is the number of modules on a side, quiet zone included.
func (c Code) Size() int { return c.size }

// Dark reports whether the module in column x, row y is dark.
func (c Code) Dark(x, y int) bool {
	i := y*c.size + x
	return c.dark[i/64]>>(i%64)&1 != 0
}
