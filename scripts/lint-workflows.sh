#!/usr/bin/env bash
# Lints .github/workflows with actionlint (a Go module, fetched by the Go module proxy and cached
# by Go), since the workflows cannot run here.
set -euo pipefail
cd "$(dirname "$0")/.."
ACTIONLINT=github.com/rhysd/actionlint/cmd/actionlint@v1.7.12
command -v go >/dev/null 2>&1 || { echo "lint:workflows: Go is not installed: install Go to lint the workflows" >&2; exit 1; }
GOFLAGS= go run "$ACTIONLINT" -shellcheck= -pyflakes= .github/workflows/*.yml
echo "lint:workflows: $(ls .github/workflows/*.yml | wc -l) workflow(s) pass actionlint"
