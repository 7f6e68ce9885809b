package store

import (
	"strconv"
	"strings"
)

// Statements are written once, with ? placeholders, and built from
// structure: column lists are slices, placeholders are counted from them,
// and PostgreSQL's $n are numbered by a scanner that knows where SQL text
// is not SQL (literals, quoted names, comments), so nothing is edited as
// text.

// column is one entry of a select list: a column, read as an empty string when NULL if
// orEmpty.
type column struct {
	name    string
	orEmpty bool
}

// columns is a select or insert list.
type columns []column

// plain lists columns read as they are.
func plain(names ...string) columns {
	cs := make(columns, len(names))
	for i, n := range names {
		cs[i] = column{name: n}
	}
	return cs
}

// orEmpty lists text columns read as an empty string when NULL.
func orEmpty(names ...string) columns {
	cs := plain(names...)
	for i := range cs {
		cs[i].orEmpty = true
	}
	return cs
}

// join is the columns of parts, in order.
func join(parts ...columns) columns {
	var cs columns
	for _, p := range parts {
		cs = append(cs, p...)
	}
	return cs
}

// sel is the select list, each column qualified with alias when it is
// not empty.
func (cs columns) sel(alias string) string {
	var b strings.Builder
	for i, c := range cs {
		if i > 0 {
			b.WriteString(", ")
		}
		name := c.name
		if alias != "" {
			name = alias + "." + name
		}
		if c.orEmpty {
			b.WriteString("COALESCE(" + name + ", '')")
		} else {
			b.WriteString(name)
		}
	}
	return b.String()
}

// names is the plain list of names, for an INSERT.
func (cs columns) names() string { return cs.sel("") }

// repeated is n copies of item, separated by commas.
func repeated(item string, n int) string {
	var b strings.Builder
	b.Grow(n * (len(item) + 2))
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(item)
	}
	return b.String()
}

// placeholders is n placeholders: "?, ?, ?".
func placeholders(n int) string { return repeated("?", n) }

// valueRows is rows tuples of cols placeholders: "(?, ?), (?, ?)".
func valueRows(rows, cols int) string { return repeated("("+placeholders(cols)+")", rows) }

// numberPlaceholders turns each ? placeholder of q into PostgreSQL's $1,
// $2, ..., leaving alone what is not SQL: string literals ('...', E'...'
// with backslash escapes), quoted identifiers, dollar-quoted strings and
// comments. PostgreSQL's jsonb ? operators cannot be written in q: use
// jsonb_exists and its kin.
func numberPlaceholders(q string) string {
	if !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); {
		c := q[i]
		var end int
		switch {
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			i++
			continue
		case c == '\'':
			backslash := i > 0 && (q[i-1] == 'E' || q[i-1] == 'e') && (i < 2 || !identByte(q[i-2]))
			end = quoted(q, i, '\'', backslash)
		case c == '"':
			end = quoted(q, i, '"', false)
		case c == '-' && strings.HasPrefix(q[i:], "--"):
			end = strings.IndexByte(q[i:], '\n')
			if end < 0 {
				end = len(q)
			} else {
				end += i + 1
			}
		case c == '/' && strings.HasPrefix(q[i:], "/*"):
			end = blockComment(q, i)
		case c == '$' && (i == 0 || !identByte(q[i-1])):
			end = dollarQuoted(q, i)
		}
		if end <= i {
			end = i + 1
		}
		b.WriteString(q[i:end])
		i = end
	}
	return b.String()
}

// quoted returns the end of the literal or quoted name opening at q[i]
// with quote, where a doubled quote stands for itself.
func quoted(q string, i int, quote byte, backslash bool) int {
	for j := i + 1; j < len(q); j++ {
		switch {
		case backslash && q[j] == '\\':
			j++
		case q[j] == quote && j+1 < len(q) && q[j+1] == quote:
			j++
		case q[j] == quote:
			return j + 1
		}
	}
	return len(q)
}

// blockComment returns the end of the comment opening at q[i]; PostgreSQL
// nests them.
func blockComment(q string, i int) int {
	depth := 0
	for j := i; j+1 < len(q); j++ {
		switch q[j : j+2] {
		case "/*":
			depth++
			j++
		case "*/":
			depth--
			j++
			if depth == 0 {
				return j + 1
			}
		}
	}
	return len(q)
}

// dollarQuoted returns the end of the $tag$...$tag$ string opening at
// q[i], or i when q[i] opens none ($1, a lone $).
func dollarQuoted(q string, i int) int {
	j := i + 1
	for j < len(q) && identByte(q[j]) {
		j++
	}
	if j >= len(q) || q[j] != '$' || (j > i+1 && q[i+1] >= '0' && q[i+1] <= '9') {
		return i
	}
	tag := q[i : j+1]
	k := strings.Index(q[j+1:], tag)
	if k < 0 {
		return len(q)
	}
	return j + 1 + k + len(tag)
}

func identByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}
