// Package national builds the day's exchange with the national 好差评
// platform: the transactions and reviews of a day as JSON lines and CSV,
// mapped from Haocha's codes to the national code lists at this edge (the
// core keeps its own: stars run 5 = very satisfied here, 1 = very
// satisfied there), with a manifest signed with Ed25519. It imports no
// storage and no HTTP server; the store reads the day, the scheduler
// pushes it.
package national

import (
	"embed"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/haocha/haocha/internal/apperr"
)

// mappings holds every mapping version; a changed code list is a new file,
// never an edit, so each output names the list it was made with.
//
//go:embed mapping/*.json
var mappings embed.FS

// CurrentMapping is the mapping version new exports use.
const CurrentMapping = "v1"

// Code is one entry of a national code list.
type Code struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// Mapping turns Haocha's codes into national ones. Every list is keyed by
// Haocha's code (stars by their number).
type Mapping struct {
	Version        string          `json:"version"`
	Note           string          `json:"note"`
	Channels       map[string]Code `json:"channels"`
	Stars          map[string]Code `json:"stars"`
	Dimensions     map[string]Code `json:"dimensions"`
	Tags           map[string]Code `json:"tags"`
	ApplicantKinds map[string]Code `json:"applicant_kinds"`
	ReviewerKinds  map[string]Code `json:"reviewer_kinds"`
}

// LoadMapping reads the embedded mapping file name (e.g. "v1").
func LoadMapping(name string) (*Mapping, error) {
	b, err := mappings.ReadFile("mapping/" + name + ".json")
	if err != nil {
		return nil, fmt.Errorf("national mapping %s: %w", name, err)
	}
	var m Mapping
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("national mapping %s: %w", name, err)
	}
	if m.Version == "" {
		return nil, fmt.Errorf("national mapping %s: no version id", name)
	}
	return &m, nil
}

// lookup maps code through list, or refuses it naming field: a code with
// no national counterpart stops the export rather than go out raw.
func (m *Mapping) lookup(list map[string]Code, field, code string) (Code, error) {
	c, ok := list[code]
	if !ok {
		return Code{}, apperr.Invalidf(field, "mapping %s has no national code for %q", m.Version, code)
	}
	return c, nil
}

// Star is the national code of stars (5 = very satisfied in Haocha).
func (m *Mapping) Star(field string, stars int) (Code, error) {
	return m.lookup(m.Stars, field, strconv.Itoa(stars))
}
