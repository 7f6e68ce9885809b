package web

import (
	"embed"
	"encoding/csv"
	"fmt"
	"strconv"
)

//go:embed data/district-tiles.csv
var tileFS embed.FS

// districtTile places a district on the schematic tile map.
type districtTile struct {
	Code     string
	Col, Row int
}

// loadDistrictTiles reads data/district-tiles.csv (see its header note:
// the map is schematic, not boundaries).
func loadDistrictTiles() ([]districtTile, error) {
	f, err := tileFS.Open("data/district-tiles.csv")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comment = '#'
	recs, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("district tiles: %w", err)
	}
	var out []districtTile
	for i, rec := range recs[1:] {
		col, err1 := strconv.Atoi(rec[1])
		row, err2 := strconv.Atoi(rec[2])
		if err1 != nil || err2 != nil || col < 0 || row < 0 {
			return nil, fmt.Errorf("district tiles: line %d: col and row must be whole numbers", i+2)
		}
		out = append(out, districtTile{Code: rec[0], Col: col, Row: row})
	}
	return out, nil
}
