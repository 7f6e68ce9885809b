#!/usr/bin/env bash
# Builds dist/haocha_VERSION_ARCH.deb and dist/haocha-VERSION.ARCH.rpm:
# the binary stamped with its version and commit (haocha version), then
# nfpm on packaging/nfpm.yaml. HAOCHA_VERSION names the version; by
# default 0.0.0+ the commit's time and hash, which sort in commit order.
set -euo pipefail
cd "$(dirname "$0")/.."
NFPM=github.com/goreleaser/nfpm/v2/cmd/nfpm@v2.48.0
commit=$(git rev-parse HEAD)
export HAOCHA_VERSION=${HAOCHA_VERSION:-0.0.0+$(git log -1 --format=%cd --date=format-local:%Y%m%d%H%M%S).g${commit:0:10}}
export HAOCHA_ARCH=${HAOCHA_ARCH:-$(go env GOARCH)}
mkdir -p dist
rm -f dist/haocha_*.deb dist/haocha-*.rpm # the previous build's
# Static and reproducible: no cgo (SQLite is pure Go), no local paths.
CGO_ENABLED=0 GOARCH=$HAOCHA_ARCH go build -trimpath -buildvcs=false \
	-ldflags "-s -w -X main.Version=$HAOCHA_VERSION -X main.Commit=$commit" -o dist/haocha ./cmd/haocha
for packager in ${PACKAGERS:-deb rpm}; do
	go run "$NFPM" package --config packaging/nfpm.yaml --packager "$packager" --target dist/
done
ls dist/*.deb dist/*.rpm 2>/dev/null
