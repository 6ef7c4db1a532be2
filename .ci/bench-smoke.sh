#!/usr/bin/env bash
# Builds the benchmark project in Release and runs its quick mode over every benchmark, the layer breakdown included,
# then the quick cold start, then two rounds of the interleaved mode: checks that all contenders run and agree on the
# data, with no timing assertions. Exits non-zero if a build or a benchmark fails. About 3 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build benchmarks/Leaf.Sdk.Benchmarks/Leaf.Sdk.Benchmarks.csproj -c Release -nologo -v q
dotnet benchmarks/Leaf.Sdk.Benchmarks/bin/Release/net10.0/Leaf.Sdk.Benchmarks.dll --quick --filter '*' \
  --artifacts artifacts/bench-quick
dotnet benchmarks/Leaf.Sdk.Benchmarks/bin/Release/net10.0/Leaf.Sdk.Benchmarks.dll --interleaved 2
