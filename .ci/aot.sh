#!/usr/bin/env bash
# Publishes the Native AOT sample (no trimming or AOT warning allowed, none suppressed) and runs it against a fake
# Leaf server served by the JIT sample in another process (WireMock is not AOT-safe, so the AOT binary never links it).
set -euo pipefail
cd "$(dirname "$0")/.."
out=artifacts/aot
mkdir -p "$out"

# Native AOT links with clang; the machine image has a versioned clang, a fresh one may need it installed.
# grep reads all of compgen's list: with -q it stopped at the first match, compgen then died writing to the closed
# pipe, and under pipefail the check said "no clang" about one run in sixteen.
if ! command -v clang >/dev/null && ! compgen -c clang- | grep '^clang-[0-9]*$' >/dev/null; then
  apt-get update -qq && apt-get install -y -qq clang zlib1g-dev
fi

dotnet publish samples/Leaf.Sdk.Samples.Aot -c Release -r linux-x64 -o "$out/bin" 2>&1 | tee "$out/publish.log"
# A warning with no code (": warning : ...") counts too.
# Collected, not tested with grep -q, which under pipefail missed warnings when there were many (see .ci/run).
warnings=$(grep -E ': warning ([A-Z]+[0-9]+)?:' "$out/publish.log" | grep -v NU1603 | sort -u || true)
if [ -n "$warnings" ]; then
  echo "AOT publish produced warnings:"; echo "$warnings"
  exit 1
fi

serve_log="$out/serve.log"
# --serve runs until its stdin closes: a sleep holds it open for two minutes at most. The trap ends the sleep too,
# which otherwise outlived the script with the caller's stderr, keeping a CI log open two minutes after the end.
exec 4< <(exec sleep 120 2>/dev/null)
sleep_pid=$!
dotnet run --no-build -c Release --project samples/Leaf.Sdk.Samples.SyncSummary -- --serve <&4 > "$serve_log" 2>&1 &
serve_pid=$!
exec 4<&-
trap 'kill $serve_pid $sleep_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  grep -q '^LEAF_TOKEN=' "$serve_log" && break
  kill -0 "$serve_pid" 2>/dev/null || break
  sleep 0.2
done
grep -q '^LEAF_TOKEN=' "$serve_log" || { echo "the fake server did not start:"; cat "$serve_log"; exit 1; }
LEAF_BASE_ADDRESS=$(sed -n 's/^LEAF_BASE_ADDRESS=//p' "$serve_log")
LEAF_TOKEN=$(sed -n 's/^LEAF_TOKEN=//p' "$serve_log")
export LEAF_BASE_ADDRESS LEAF_TOKEN

# Warm the fake (a JIT process) with one request first, so the timing is the AOT client's, not the fake's first answer.
curl -fsS -o /dev/null -H "Authorization: Bearer $LEAF_TOKEN" "${LEAF_BASE_ADDRESS%/}/services/integrations/api/resources" || true

start=$(date +%s%N)
"$out/bin/leaf-sync-aot" | tee "$out/run.log"
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
grep -q 'John Deere' "$out/run.log"
grep -q 'n/a' "$out/run.log"
grep -q 'summaries in' "$out/run.log"
echo "AOT binary: $(stat -c %s "$out/bin/leaf-sync-aot") bytes; process start to result: ${elapsed_ms} ms"
