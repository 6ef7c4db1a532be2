#!/usr/bin/env bash
# Publishes the Native AOT sample (no trimming or AOT warning allowed, none suppressed) and runs it against a fake
# Leaf server served by the JIT sample in another process (WireMock is not AOT-safe, so the AOT binary never links it).
# Then publishes and runs the AOT probe (tests/Leaf.Sdk.AotProbe): the library's failure paths as a Native AOT binary,
# where a gap (a type missing from a JSON context, a trimmed member) shows only at run time.
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

# Publishes a project as Native AOT into $out/$2; fails on a failed publish and on any warning but NU1603.
publish() {
  local project=$1 dir=$2 start=$SECONDS
  dotnet publish "$project" -c Release -r linux-x64 -o "$out/$dir" 2>&1 | tee "$out/$dir.publish.log"
  local status=${PIPESTATUS[0]}
  [ "$status" -eq 0 ] || { echo "AOT publish of $project failed (exit $status)"; exit 1; }
  # A warning with no code (": warning : ...") counts too.
  # Collected, not tested with grep -q, which under pipefail missed warnings when there were many (see .ci/run).
  local warnings
  warnings=$(grep -E ': warning ([A-Z]+[0-9]+)?:' "$out/$dir.publish.log" | grep -v NU1603 | sort -u || true)
  if [ -n "$warnings" ]; then
    echo "AOT publish of $project produced warnings:"; echo "$warnings"
    exit 1
  fi
  echo "AOT publish of $project: $((SECONDS - start)) s"
}

publish samples/Leaf.Sdk.Samples.Aot bin

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

# The probe serves its own answers (a raw socket on 127.0.0.1, in-process handlers): no fake server needed. One line per
# scenario; it exits non-zero if any outcome differs. A scenario that fails here but passes under the JIT
# (dotnet run --project tests/Leaf.Sdk.AotProbe -c Release -- [part of a scenario's name]) is an AOT defect of the library.
publish tests/Leaf.Sdk.AotProbe probe
"$out/probe/leaf-aot-probe" | tee "$out/probe.log"
