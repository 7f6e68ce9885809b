#!/usr/bin/env bash
# Builds the Go vulnerability database offline and prints its directory, for
# `govulncheck -db file://DIR`. vuln.go.dev cannot be reached from our
# machines, but the module proxy serves golang.org/x/vulndb, whose
# cmd/gendb writes the same database from the module's data/osv. gendb reads
# a git repository (it dates entries by commit), so the OSV files are copied
# into a fresh one first. The result is cached per vulndb version in
# .cache/vulndb (gitignored); VULNDB_VERSION pins a version (default latest).
set -euo pipefail
cd "$(dirname "$0")/.."

version=$(go list -m -f '{{.Version}}' "golang.org/x/vulndb@${VULNDB_VERSION:-latest}")
cache="$PWD/.cache/vulndb/$version"
if [ -f "$cache/db/index/db.json" ]; then
	echo "$cache/db"
	exit 0
fi

go mod download "golang.org/x/vulndb@$version" >&2
src="$(go env GOMODCACHE)/golang.org/x/vulndb@$version/data/osv"
[ -d "$src" ] || { echo "vulndb.sh: no data/osv in golang.org/x/vulndb@$version" >&2; exit 1; }

rm -rf "$cache"
mkdir -p "$cache/repo/data"
cp -r "$src" "$cache/repo/data/osv"
chmod -R u+w "$cache/repo"
git -C "$cache/repo" init -q
git -C "$cache/repo" add data
git -C "$cache/repo" -c user.name=vulndb -c user.email=vulndb@localhost \
	commit -q -m "golang.org/x/vulndb@$version data/osv"

GOBIN="$cache/bin" go install "golang.org/x/vulndb/cmd/gendb@$version" >&2
"$cache/bin/gendb" -repo "$cache/repo" -out "$cache/db.tmp" >&2
mv "$cache/db.tmp" "$cache/db"
rm -rf "$cache/repo"
echo "$cache/db"
