// Package layers holds the test that keeps the packages in their layers:
// the domain and storage packages never import an HTTP package, and the
// three HTTP front ends (api, console, web) never import one another.
package layers

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/haocha/haocha/"

// httpPackages serve HTTP (pages, JSON, the router and its helpers) or
// wire the server; only they, and the commands, may import one another.
var httpPackages = []string{
	"internal/api", "internal/console", "internal/web", // the front ends
	"internal/caller", "internal/route", "internal/httpjson", "internal/metrics", // what they share
	"internal/app",         // the wiring
	"internal/api/apitest", // tests' check of the API's traffic against its document
}

// frontEnds import none of each other: what two need is in a shared
// package (caller, route, httpjson) or a service.
var frontEnds = []string{"internal/api", "internal/console", "internal/web"}

type pkg struct {
	path    string
	imports []string
	files   []string
}

// listPackages is every package of the module with its own imports and
// non-test files, as go list reports them.
func listPackages(t *testing.T) []pkg {
	t.Helper()
	cmd := exec.Command("go", "list", "-f", "{{.ImportPath}}|{{join .Imports \",\"}}|{{.Dir}}|{{join .GoFiles \",\"}}", module+"...")
	cmd.Dir = ".."
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Skipf("go list is not available here (%v): %s", err, stderr.String())
	}
	var pkgs []pkg
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Split(sc.Text(), "|")
		if len(f) != 4 || !strings.HasPrefix(f[0], module) {
			continue
		}
		p := pkg{path: strings.TrimPrefix(f[0], module)}
		for _, imp := range strings.Split(f[1], ",") {
			if rel, ok := strings.CutPrefix(imp, module); ok {
				p.imports = append(p.imports, rel)
			}
		}
		for _, name := range strings.Split(f[3], ",") {
			if name != "" {
				p.files = append(p.files, filepath.Join(f[2], name))
			}
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) < 10 {
		t.Fatalf("go list found %d packages: %s", len(pkgs), out)
	}
	return pkgs
}

func TestNoHTTPBelowTheFrontEnds(t *testing.T) {
	for _, p := range listPackages(t) {
		if strings.HasPrefix(p.path, "cmd/") || slices.Contains(httpPackages, p.path) {
			continue
		}
		if servesHTTP(t, p) {
			t.Errorf("%s serves HTTP (writes to an http.ResponseWriter) but is not in httpPackages: add it there, or move its handlers to api, console or web", p.path)
		}
		for _, imp := range p.imports {
			if slices.Contains(httpPackages, imp) {
				t.Errorf("%s imports the HTTP package %s: move what it needs out of %s into a service", p.path, imp, imp)
			}
		}
	}
}

func TestFrontEndsApart(t *testing.T) {
	for _, p := range listPackages(t) {
		if !slices.Contains(frontEnds, p.path) {
			continue
		}
		for _, imp := range p.imports {
			if imp != p.path && slices.Contains(frontEnds, imp) {
				t.Errorf("%s imports %s: the front ends share caller, route, httpjson and the services, never each other", p.path, imp)
			}
		}
	}
}

// servesHTTP reports whether p's files handle requests.
func servesHTTP(t *testing.T, p pkg) bool {
	t.Helper()
	for _, f := range p.files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte("http.ResponseWriter")) {
			return true
		}
	}
	return false
}
