#!/usr/bin/env bash
# Regenerates the committed Swift for Protos/ (OTLP and google.rpc.Status). Generation is not part
# of the build: run this after editing a .proto and commit the result.
# Needs protoc (Debian: protobuf-compiler) and protoc-gen-swift built from the swift-protobuf
# version Package.swift names:
#   git clone https://github.com/apple/swift-protobuf && cd swift-protobuf && git checkout 1.39.0
#   swift build -c release --product protoc-gen-swift
#   PROTOC_GEN_SWIFT=$PWD/.build/release/protoc-gen-swift scripts/generate-otlp.sh
set -euo pipefail
cd "$(dirname "$0")/.."
plugin="${PROTOC_GEN_SWIFT:-$(command -v protoc-gen-swift)}"
out=Sources/SextantCore/Wire/OTLP/Generated
rm -rf "$out" && mkdir -p "$out"
files=$(cd Protos && find . -name '*.proto' | sed 's,^\./,,' | sort)
(cd Protos && protoc -I . --plugin=protoc-gen-swift="$plugin" --swift_opt=Visibility=Internal \
    --swift_opt=FileNaming=PathToUnderscores --swift_out="../$out" $files)
echo "generated $(ls "$out" | wc -l) files in $out"
