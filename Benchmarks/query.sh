#!/usr/bin/env bash
# Query benchmark (issue 11): N events through HTTP into the release server and the same rows into
# DuckDB, every answer checked equal, each query's median time both ways and the ratio, and the
# server's RSS. DuckDB comes from PyPI into a temporary venv.
#
#   Benchmarks/query.sh [N]        (default 2000000)
set -euo pipefail
cd "$(dirname "$0")/.."
events=${1:-2000000}
swift build -c release --product sextant >/dev/null
venv=$(mktemp -d)
trap 'rm -rf "$venv"' EXIT
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check duckdb requests
SEXTANT_BIN="$(swift build -c release --show-bin-path)/sextant" "$venv/bin/python" Benchmarks/query.py "$events"
