package chart

import (
	"bytes"
	"html/template"
)

// figureHTML is a figure's markup: caption, picture, legend, and the table
// in a box that hides it on screen ("visually-hidden" in the pages' style
// sheet; a box, because a table grows to its content whatever its width)
// but not from a screen reader. The table, not the picture,
// is what assistive technology reads.
var figureHTML = template.Must(template.New("figure").Parse(`<figure class="figure">
<figcaption>{{.Table.Caption}}</figcaption>
{{.SVG}}
{{if .Legend}}<ul class="legend" aria-hidden="true">{{range .Legend}}<li>{{.Swatch}} {{.Text}}</li>{{end}}</ul>{{end}}
<div class="visually-hidden"><table>
<caption>{{.Table.Caption}}</caption>
<thead><tr>{{range .Table.Columns}}<th scope="col">{{.}}</th>{{end}}</tr></thead>
<tbody>{{range .Table.Rows}}<tr>{{range $i, $c := .}}{{if eq $i 0}}<th scope="row">{{$c}}</th>{{else}}<td>{{$c}}</td>{{end}}{{end}}</tr>{{end}}</tbody>
</table></div>
</figure>`))

// HTML is the figure ready for a page.
func (f Figure) HTML() template.HTML {
	var b bytes.Buffer
	if err := figureHTML.Execute(&b, f); err != nil {
		// Only a write to memory can fail here, and it does not.
		panic(err)
	}
	return template.HTML(b.String())
}
