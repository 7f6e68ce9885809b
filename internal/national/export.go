package national

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/transaction"
)

// Day is what the store read of one day (the city's zone): the
// transactions reported that day, by reporting time then number, and the
// reviews given that day that count (neither held nor excluded), by id.
type Day struct {
	Date         string // YYYY-MM-DD
	Transactions []*transaction.Transaction
	Reviews      []Review
}

// File is one data file of an export, as the manifest lists it.
type File struct {
	Name    string `json:"name"`
	Records int    `json:"records"`
	Bytes   int    `json:"bytes"`
	SHA256  string `json:"sha256"`
}

// Manifest names an export's files with their counts and hashes and the
// mapping version, signed with Ed25519 (a key derived from the master
// key). The same day and data give the same bytes: no time of making.
type Manifest struct {
	Date           string `json:"date"`
	MappingVersion string `json:"mapping_version"`
	Files          []File `json:"files"`
	KeyID          string `json:"key_id"`
	Sig            string `json:"sig"`
}

// Export is a day's files, made in memory, and its signed manifest.
type Export struct {
	Manifest Manifest
	Data     map[string][]byte // file name → content, the manifest included
}

// ManifestName is the manifest's file name for date.
func ManifestName(date string) string { return "national-" + date + "-manifest.json" }

// Key is the signing key for seed (32 bytes derived from the master key).
func Key(seed []byte) ed25519.PrivateKey { return ed25519.NewKeyFromSeed(seed) }

// KeyID names a public key: the first 8 bytes of its SHA-256, in hex.
func KeyID(pub ed25519.PublicKey) string {
	h := sha256.Sum256(pub)
	return hex.EncodeToString(h[:8])
}

// payload is what is signed: the manifest without its signature.
func (m Manifest) payload() []byte {
	m.Sig = ""
	b, _ := json.Marshal(m)
	return b
}

// Build maps day through m and signs the manifest with key. A code the
// mapping lacks fails the whole day, naming the record. Anonymous reviews
// go out with their places blurred to a crowd of MinCrowd (Blur).
func Build(m *Mapping, day Day, key ed25519.PrivateKey) (*Export, error) {
	day = Blur(day, MinCrowd)
	ts := make([]TransactionRecord, len(day.Transactions))
	for i, t := range day.Transactions {
		var err error
		if ts[i], err = m.Transaction(t); err != nil {
			return nil, fmt.Errorf("transaction %s: %w", t.Number, err)
		}
	}
	rs := make([]ReviewRecord, len(day.Reviews))
	for i, r := range day.Reviews {
		var err error
		if rs[i], err = m.Review(r); err != nil {
			return nil, fmt.Errorf("review %d: %w", r.ID, err)
		}
	}
	e := &Export{Data: map[string][]byte{}, Manifest: Manifest{Date: day.Date, MappingVersion: m.Version}}
	base := "national-" + day.Date
	if err := add(e, base+"-transactions", ts, transactionHeader, TransactionRecord.row); err != nil {
		return nil, err
	}
	if err := add(e, base+"-reviews", rs, reviewHeader, ReviewRecord.row); err != nil {
		return nil, err
	}
	pub := key.Public().(ed25519.PublicKey)
	e.Manifest.KeyID = KeyID(pub)
	e.Manifest.Sig = base64.StdEncoding.EncodeToString(ed25519.Sign(key, e.Manifest.payload()))
	b, err := json.MarshalIndent(e.Manifest, "", "  ")
	if err != nil {
		return nil, err
	}
	e.Data[ManifestName(day.Date)] = append(b, '\n')
	return e, nil
}

// add encodes recs as name.jsonl and name.csv and lists both.
func add[R any](e *Export, name string, recs []R, header []string, row func(R) []string) error {
	var jl, cs bytes.Buffer
	enc := json.NewEncoder(&jl)
	enc.SetEscapeHTML(false)
	w := csv.NewWriter(&cs)
	w.Write(header)
	for _, r := range recs {
		if err := enc.Encode(r); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		w.Write(row(r))
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	for _, f := range []struct {
		name string
		b    []byte
	}{{name + ".jsonl", jl.Bytes()}, {name + ".csv", cs.Bytes()}} {
		sum := sha256.Sum256(f.b)
		e.Data[f.name] = f.b
		e.Manifest.Files = append(e.Manifest.Files, File{Name: f.name, Records: len(recs), Bytes: len(f.b), SHA256: hex.EncodeToString(sum[:])})
	}
	return nil
}

// Names lists the export's files, the manifest last: the order they are
// written and sent in, so that a reader who finds the manifest finds the
// files it names.
func (e *Export) Names() []string {
	out := make([]string, 0, len(e.Manifest.Files)+1)
	for _, f := range e.Manifest.Files {
		out = append(out, f.Name)
	}
	return append(out, ManifestName(e.Manifest.Date))
}

// Write writes the files into dir, each through a temporary file renamed
// into place, the manifest last, and returns their paths.
func (e *Export) Write(dir string) ([]string, error) {
	var paths []string
	for _, name := range e.Names() {
		p := filepath.Join(dir, name)
		if err := writeFile(p, e.Data[name]); err != nil {
			return paths, err
		}
		paths = append(paths, p)
	}
	return paths, nil
}

func writeFile(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".national-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(b)
	if err == nil {
		err = tmp.Chmod(0o644)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// Verify reads the manifest at path, checks its signature against pub and
// every file it names (beside it) against its size and SHA-256. The error
// names what differs.
func Verify(path string, pub ed25519.PublicKey) (*Manifest, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, apperr.Invalidf("manifest", "%s: not a manifest: %v", path, err)
	}
	sig, err := base64.StdEncoding.DecodeString(m.Sig)
	if err != nil || !ed25519.Verify(pub, m.payload(), sig) {
		return nil, apperr.New(apperr.Conflict, "manifest", "%s: the signature does not match: the manifest was altered or signed with another key", path)
	}
	for _, f := range m.Files {
		if filepath.Base(f.Name) != f.Name {
			return nil, apperr.Invalidf("manifest", "%s: file name %q is not a plain name", path, f.Name)
		}
		data, err := os.ReadFile(filepath.Join(filepath.Dir(path), f.Name))
		if err != nil {
			return nil, apperr.New(apperr.Conflict, "file", "%s: %v", f.Name, err)
		}
		if sum := sha256.Sum256(data); len(data) != f.Bytes || hex.EncodeToString(sum[:]) != f.SHA256 {
			return nil, apperr.New(apperr.Conflict, "file", "%s differs from the signed manifest: it was changed after the export", f.Name)
		}
	}
	return &m, nil
}
