package qr

// A small QR encoder for what workstation codes need: byte mode, error
// correction level M, versions 1 to 10 (up to 213 bytes), written from ISO/IEC
// 18004. It is some twenty times quicker than the general encoder, which
// matters when a sheet holds the whole city's 20,000 codes; longer content
// goes to the general encoder.

// blockSpec is the error correction layout of one version at level M.
type blockSpec struct {
	ecPerBlock     int
	blocks1, data1 int // blocks of the first group, data codewords each
	blocks2, data2 int // blocks of the second group (one more data codeword)
	alignment      []int
}

var levelM = [11]blockSpec{
	1:  {10, 1, 16, 0, 0, nil},
	2:  {16, 1, 28, 0, 0, []int{6, 18}},
	3:  {26, 1, 44, 0, 0, []int{6, 22}},
	4:  {18, 2, 32, 0, 0, []int{6, 26}},
	5:  {24, 2, 43, 0, 0, []int{6, 30}},
	6:  {16, 4, 27, 0, 0, []int{6, 34}},
	7:  {18, 4, 31, 0, 0, []int{6, 22, 38}},
	8:  {22, 2, 38, 2, 39, []int{6, 24, 42}},
	9:  {22, 3, 36, 2, 37, []int{6, 26, 46}},
	10: {26, 4, 43, 1, 44, []int{6, 28, 50}},
}

func (b blockSpec) dataCodewords() int { return b.blocks1*b.data1 + b.blocks2*b.data2 }

// quietZone is the light margin the standard asks around a code, in modules.
const quietZone = 4

// encodeFast encodes content, or reports false when it needs a version
// above 10.
func encodeFast(content string, mask int) (Code, bool) {
	version := 0
	for v := 1; v <= 10; v++ {
		count := 8
		if v >= 10 {
			count = 16
		}
		if 4+count+8*len(content) <= levelM[v].dataCodewords()*8 {
			version = v
			break
		}
	}
	if version == 0 {
		return nil, false
	}
	spec := levelM[version]
	data := dataCodewords(content, version, spec)
	codewords := addErrorCorrection(data, spec)
	m := newMatrix(version)
	m.drawFunctionPatterns(spec)
	m.placeData(codewords)
	if mask < 0 {
		best := -1
		for k := 0; k < 8; k++ {
			m.applyMask(k)
			m.drawFormat(k)
			if p := m.penalty(); best < 0 || p < best {
				best, mask = p, k
			}
			m.applyMask(k) // masking twice undoes it
		}
	}
	m.applyMask(mask)
	m.drawFormat(mask)
	return m.withQuietZone(), true
}

// dataCodewords is the byte-mode bit stream, terminated and padded.
func dataCodewords(content string, version int, spec blockSpec) []byte {
	capacity := spec.dataCodewords()
	var bb bitBuffer
	bb.append(0b0100, 4)
	if version >= 10 {
		bb.append(uint32(len(content)), 16)
	} else {
		bb.append(uint32(len(content)), 8)
	}
	for i := 0; i < len(content); i++ {
		bb.append(uint32(content[i]), 8)
	}
	bb.append(0, min(4, capacity*8-bb.n))
	bb.append(0, (8-bb.n%8)%8)
	for pad := byte(0xEC); len(bb.bytes) < capacity; pad ^= 0xEC ^ 0x11 {
		bb.bytes = append(bb.bytes, pad)
		bb.n += 8
	}
	return bb.bytes
}

type bitBuffer struct {
	bytes []byte
	n     int // bits written
}

func (b *bitBuffer) append(v uint32, bits int) {
	for i := bits - 1; i >= 0; i-- {
		if b.n%8 == 0 {
			b.bytes = append(b.bytes, 0)
		}
		if v>>uint(i)&1 != 0 {
			b.bytes[b.n/8] |= 0x80 >> uint(b.n%8)
		}
		b.n++
	}
}

// addErrorCorrection splits data into blocks, adds each block's
// Reed-Solomon codewords and interleaves them.
func addErrorCorrection(data []byte, spec blockSpec) []byte {
	gen := generator(spec.ecPerBlock)
	var blocks, ecs [][]byte
	at := 0
	for i := 0; i < spec.blocks1+spec.blocks2; i++ {
		n := spec.data1
		if i >= spec.blocks1 {
			n = spec.data2
		}
		block := data[at : at+n]
		at += n
		blocks = append(blocks, block)
		ecs = append(ecs, remainder(block, gen))
	}
	out := make([]byte, 0, len(data)+len(blocks)*spec.ecPerBlock)
	for i := 0; i < max(spec.data1, spec.data2); i++ {
		for _, b := range blocks {
			if i < len(b) {
				out = append(out, b[i])
			}
		}
	}
	for i := 0; i < spec.ecPerBlock; i++ {
		for _, e := range ecs {
			out = append(out, e[i])
		}
	}
	return out
}

// GF(256) with the QR polynomial x^8 + x^4 + x^3 + x^2 + 1.
var gfExp, gfLog = func() (exp [512]byte, log [256]byte) {
	x := 1
	for i := 0; i < 255; i++ {
		exp[i] = byte(x)
		log[x] = byte(i)
		x <<= 1
		if x&0x100 != 0 {
			x ^= 0x11D
		}
	}
	for i := 255; i < 512; i++ {
		exp[i] = exp[i-255]
	}
	return
}()

func gfMul(a, b byte) byte {
	if a == 0 || b == 0 {
		return 0
	}
	return gfExp[int(gfLog[a])+int(gfLog[b])]
}

// generator returns the coefficients, highest degree first and the leading
// 1 left out, of the product of (x - 2^i) for i below degree.
func generator(degree int) []byte {
	g := make([]byte, degree)
	g[degree-1] = 1
	root := byte(1)
	for i := 0; i < degree; i++ {
		for j := range g {
			g[j] = gfMul(g[j], root)
			if j+1 < len(g) {
				g[j] ^= g[j+1]
			}
		}
		root = gfMul(root, 2)
	}
	return g
}

// remainder is data times x^degree modulo the generator.
func remainder(data, gen []byte) []byte {
	r := make([]byte, len(gen))
	for _, b := range data {
		factor := b ^ r[0]
		copy(r, r[1:])
		r[len(r)-1] = 0
		if factor == 0 {
			continue
		}
		for i, g := range gen {
			r[i] ^= gfMul(g, factor)
		}
	}
	return r
}

// matrix is a code being drawn, indexed [y][x].
type matrix struct {
	size     int
	version  int
	dark     [][]bool
	function [][]bool // finder, timing, alignment, format and version areas
}

func newMatrix(version int) *matrix {
	size := 17 + 4*version
	m := &matrix{size: size, version: version, dark: make([][]bool, size), function: make([][]bool, size)}
	for y := range size {
		m.dark[y] = make([]bool, size)
		m.function[y] = make([]bool, size)
	}
	return m
}

func (m *matrix) set(x, y int, dark bool) {
	m.dark[y][x] = dark
	m.function[y][x] = true
}

func (m *matrix) drawFunctionPatterns(spec blockSpec) {
	for i := 0; i < m.size; i++ {
		m.set(6, i, i%2 == 0)
		m.set(i, 6, i%2 == 0)
	}
	for _, c := range [][2]int{{3, 3}, {m.size - 4, 3}, {3, m.size - 4}} {
		for dy := -4; dy <= 4; dy++ {
			for dx := -4; dx <= 4; dx++ {
				x, y := c[0]+dx, c[1]+dy
				if x >= 0 && x < m.size && y >= 0 && y < m.size {
					d := max(abs(dx), abs(dy))
					m.set(x, y, d != 2 && d != 4)
				}
			}
		}
	}
	last := len(spec.alignment) - 1
	for i, ay := range spec.alignment {
		for j, ax := range spec.alignment {
			if (i == 0 && j == 0) || (i == 0 && j == last) || (i == last && j == 0) {
				continue // the finder patterns are there
			}
			for dy := -2; dy <= 2; dy++ {
				for dx := -2; dx <= 2; dx++ {
					m.set(ax+dx, ay+dy, max(abs(dx), abs(dy)) != 1)
				}
			}
		}
	}
	m.drawFormat(0) // reserves the areas; drawn again once the mask is chosen
	if m.version >= 7 {
		rem := m.version
		for range 12 {
			rem = rem<<1 ^ (rem>>11)*0x1F25
		}
		bits := m.version<<12 | rem
		for i := 0; i < 18; i++ {
			dark := bits>>uint(i)&1 != 0
			a, b := m.size-11+i%3, i/3
			m.set(b, a, dark)
			m.set(a, b, dark)
		}
	}
}

// drawFormat draws the level (M) and mask bits, twice, and the dark module.
func (m *matrix) drawFormat(mask int) {
	data := 0<<3 | mask // level M is 00
	rem := data
	for range 10 {
		rem = rem<<1 ^ (rem>>9)*0x537
	}
	bits := (data<<10 | rem) ^ 0x5412
	bit := func(i int) bool { return bits>>uint(i)&1 != 0 }
	for i := 0; i <= 5; i++ {
		m.set(8, i, bit(i))
	}
	m.set(8, 7, bit(6))
	m.set(8, 8, bit(7))
	m.set(7, 8, bit(8))
	for i := 9; i < 15; i++ {
		m.set(14-i, 8, bit(i))
	}
	for i := 0; i < 8; i++ {
		m.set(m.size-1-i, 8, bit(i))
	}
	for i := 8; i < 15; i++ {
		m.set(8, m.size-15+i, bit(i))
	}
	m.set(8, m.size-8, true)
}

// placeData lays the codewords in the zigzag of two-module columns.
func (m *matrix) placeData(codewords []byte) {
	i := 0
	for right := m.size - 1; right >= 1; right -= 2 {
		if right == 6 {
			right = 5 // skip the vertical timing pattern
		}
		upward := (right+1)&2 == 0
		for vert := 0; vert < m.size; vert++ {
			y := vert
			if upward {
				y = m.size - 1 - vert
			}
			for j := 0; j < 2; j++ {
				x := right - j
				if m.function[y][x] || i >= len(codewords)*8 {
					continue
				}
				m.dark[y][x] = codewords[i>>3]>>(7-uint(i&7))&1 != 0
				i++
			}
		}
	}
}

// masks are the eight mask patterns: a module at x, y is flipped when true.
var masks = [8]func(x, y int) bool{
	func(x, y int) bool { return (x+y)%2 == 0 },
	func(x, y int) bool { return y%2 == 0 },
	func(x, y int) bool { return x%3 == 0 },
	func(x, y int) bool { return (x+y)%3 == 0 },
	func(x, y int) bool { return (x/3+y/2)%2 == 0 },
	func(x, y int) bool { return x*y%2+x*y%3 == 0 },
	func(x, y int) bool { return (x*y%2+x*y%3)%2 == 0 },
	func(x, y int) bool { return ((x+y)%2+x*y%3)%2 == 0 },
}

func (m *matrix) applyMask(mask int) {
	flip := masks[mask]
	for y, row := range m.dark {
		fn := m.function[y]
		for x := range row {
			if !fn[x] && flip(x, y) {
				row[x] = !row[x]
			}
		}
	}
}

// penalty scores how hard the code is to read, by the standard's four
// rules; the mask with the lowest score is used.
func (m *matrix) penalty() int {
	n := m.size
	score := 0
	line := make([]bool, n)
	for y := 0; y < n; y++ {
		score += linePenalty(m.dark[y])
	}
	for x := 0; x < n; x++ {
		for y := 0; y < n; y++ {
			line[y] = m.dark[y][x]
		}
		score += linePenalty(line)
	}
	dark := 0
	for y := 0; y < n; y++ {
		row := m.dark[y]
		for x := 0; x < n; x++ {
			if row[x] {
				dark++
			}
			if x+1 < n && y+1 < n {
				c, below := row[x], m.dark[y+1]
				if c == row[x+1] && c == below[x] && c == below[x+1] {
					score += 3
				}
			}
		}
	}
	score += abs(dark*20-n*n*10) / (n * n) * 10
	return score
}

// linePenalty scores one row or column: runs of five or more modules of
// one colour, and patterns that look like a finder (1:1:3:1:1 with four
// light modules on one side).
func linePenalty(line []bool) int {
	score, run := 0, 1
	for i := 1; i < len(line); i++ {
		if line[i] == line[i-1] {
			run++
			continue
		}
		if run >= 5 {
			score += run - 2
		}
		run = 1
	}
	if run >= 5 {
		score += run - 2
	}
	for i := 0; i+7 <= len(line); i++ {
		if line[i] && !line[i+1] && line[i+2] && line[i+3] && line[i+4] && !line[i+5] && line[i+6] &&
			(light(line, i-4, i) || light(line, i+7, i+11)) {
			score += 40
		}
	}
	return score
}

// light reports whether line has no dark module from from to to; modules
// outside the code are light.
func light(line []bool, from, to int) bool {
	for k := max(from, 0); k < min(to, len(line)); k++ {
		if line[k] {
			return false
		}
	}
	return true
}

func (m *matrix) withQuietZone() Code {
	size := m.size + 2*quietZone
	c := make(Code, size)
	cells := make([]bool, size*size)
	for y := range size {
		c[y] = cells[y*size : (y+1)*size]
	}
	for y := 0; y < m.size; y++ {
		copy(c[y+quietZone][quietZone:], m.dark[y])
	}
	return c
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
