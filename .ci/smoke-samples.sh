#!/usr/bin/env bash
# Smoke-runs every sample against the embedded fake Leaf server and checks its output. CI builds the solution in
# Release first (this script runs with --no-build). Prints each check; exits non-zero at the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
# The samples use the fake server only when no credentials are set.
unset LEAF_TOKEN LEAF_USERNAME LEAF_PASSWORD LEAF_BASE_ADDRESS Leaf__AccessToken Leaf__Username Leaf__Password Leaf__BaseAddress

out=artifacts/smoke
rm -rf "$out" && mkdir -p "$out"
# The demo users of Leaf.Sdk.Testing's DemoUsers.
healthy=5b7d1f3e-2c4a-4e8b-9f10-1a2b3c4d5e6f
stale=8c2e4a6b-1d3f-4b5a-8e7c-9d0e1f2a3b4c
needs_attention=e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b
checks=0
pids=()
cleanup() {
  # dotnet run passes the signal on to the program it started; wait so nothing outlives the script.
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

run() { dotnet run --no-build -c Release --project "samples/$1" -- "${@:2}"; }
ok() { checks=$((checks + 1)); echo "  ok: $*"; }
fail() { echo "  FAILED: $*"; [ -n "${log:-}" ] && [ -f "$log" ] && { echo "----- $log"; cat "$log"; echo "-----"; }; exit 1; }
expect() { grep -q -- "$1" "$log" || fail "$log lacks '$1'"; ok "$2"; }
json_ok() { python3 -c 'import json,sys; json.load(sys.stdin)' < "$1" || fail "$1 is not JSON"; }
start=$SECONDS

echo "== leaf-sync-summary (table, chart, side-by-side view)"
log=$out/sync-summary.txt
run Leaf.Sdk.Samples.SyncSummary > "$log" 2>&1 || fail "leaf-sync-summary exited $?"
head -1 "$log" | grep -q 'embedded fake Leaf server' || fail "the first line does not say the embedded fake server is used"
ok "first line says the embedded fake Leaf server is used"
for name in 'John Deere' 'Climate FieldView' 'CNHI FieldOps' 'Trimble' 'Raven' 'Panorama (unknown to this SDK)'; do
  expect "$name" "table shows $name"
done
expect 'n/a' "n/a where a provider has no such level"
expect 'missing' "'missing' where a level the provider has was not reported"
expect 'Fields per provider' "bar chart of fields per provider"
if grep -q $'\e\[' "$log"; then fail "colour codes in redirected output"; fi
ok "no colour codes when output is redirected"

log=$out/sync-summary-user.txt
run Leaf.Sdk.Samples.SyncSummary --user "$needs_attention" --provider JohnDeere > "$log" 2>&1 || fail "leaf-sync-summary --user exited $?"
expect 'providers side by side' "--user shows the user's providers side by side"
if grep -q 'Climate FieldView' "$log"; then fail "--provider JohnDeere still lists Climate FieldView"; fi
ok "--provider filters the providers"

# An option without its value is named as such, not as an unknown argument.
for bad in "--provider" "--user"; do
  log=$out/sync-summary-bad-args.txt
  set +e
  run Leaf.Sdk.Samples.SyncSummary $bad > "$log" 2>&1
  status=$?
  set -e
  [ "$status" -eq 1 ] || fail "leaf-sync-summary $bad: exit $status, expected 1"
  expect "error: $bad needs a value" "leaf-sync-summary $bad says it needs a value"
done

# Leaf filters by one provider: a second --provider is refused, not silently put in place of the first.
log=$out/sync-summary-twice.txt
set +e
run Leaf.Sdk.Samples.SyncSummary --provider JohnDeere --provider Trimble > "$log" 2>&1
status=$?
set -e
[ "$status" -eq 1 ] || fail "leaf-sync-summary --provider twice: exit $status, expected 1"
expect "error: --provider given twice" "leaf-sync-summary refuses --provider given twice"

echo "== leaf-sync-summary --json"
log=$out/sync-summary.json
run Leaf.Sdk.Samples.SyncSummary --json --user "$healthy" > "$log" 2> "$out/sync-summary-json.stderr" || fail "leaf-sync-summary --json exited $?"
json_ok "$log"
ok "--json prints JSON and nothing else on stdout"
python3 - "$log" <<'PY' || fail "--json content"
import json, sys
doc = json.load(open(sys.argv[1]))
providers = sorted(s["provider"] for s in doc["summaries"])
assert doc["source"] == "fake", doc["source"]
assert providers == ["CNHIFieldOps", "ClimateFieldView", "JohnDeere", "Trimble"], providers
assert next(s for s in doc["summaries"] if s["provider"] == "ClimateFieldView")["growers"] is None
PY
ok "--json has the healthy user's four providers, null for Climate FieldView's growers"
grep -q 'embedded fake Leaf server' "$out/sync-summary-json.stderr" || fail "--json does not say on stderr that the fake server is used"
ok "--json says on stderr that the fake server is used"

echo "== leaf-sync-summary --serve, then a client with LEAF_TOKEN and LEAF_BASE_ADDRESS"
serve_log=$out/serve.txt
# stdin is a fifo this script holds open: closing it (EOF) is how --serve is told to stop. Started directly, not
# through run(), so that $! is dotnet's own pid.
mkfifo "$out/serve.stdin"
dotnet run --no-build -c Release --project samples/Leaf.Sdk.Samples.SyncSummary -- --serve < "$out/serve.stdin" > "$serve_log" 2> "$out/serve.stderr" &
pids+=($!)
exec 3> "$out/serve.stdin"
for _ in $(seq 1 100); do grep -q '^LEAF_TOKEN=' "$serve_log" && break; sleep 0.2; done
log=$serve_log
[ "$(wc -l < "$serve_log")" -eq 2 ] || fail "--serve printed other than two lines"
grep -q '^LEAF_BASE_ADDRESS=http://127.0.0.1:[0-9]*$' "$serve_log" || fail "no LEAF_BASE_ADDRESS line"
ok "--serve prints exactly LEAF_BASE_ADDRESS=... and LEAF_TOKEN=..."
base=$(sed -n 's/^LEAF_BASE_ADDRESS=//p' "$serve_log")
token=$(sed -n 's/^LEAF_TOKEN=//p' "$serve_log")
log=$out/sync-summary-served.txt
LEAF_BASE_ADDRESS=$base LEAF_TOKEN=$token run Leaf.Sdk.Samples.SyncSummary --user "$stale" > "$log" 2>&1 || fail "client of the served fake exited $?"
expect "Calling Leaf at $base" "LEAF_TOKEN and LEAF_BASE_ADDRESS switch to the given API root"
expect 'Raven' "the served fake answers with demo data"
serve_pid=${pids[-1]}

echo "== leaf-verify-connection"
log=$out/verify-healthy.txt
set +e
run Leaf.Sdk.Samples.VerifyConnection --user "$healthy" --expect JohnDeere,ClimateFieldView --max-age 24h > "$log" 2>&1
status=$?
set -e
[ "$status" -eq 0 ] || fail "healthy user: exit $status, expected 0"
ok "healthy user with --expect JohnDeere,ClimateFieldView exits 0"
expect 'Result: OK' "healthy user's verdict is OK"

log=$out/verify-stale.txt
set +e
run Leaf.Sdk.Samples.VerifyConnection --user "$stale" > "$log" 2>&1
status=$?
set -e
[ "$status" -eq 1 ] || fail "stale user: exit $status, expected 1"
ok "stale user exits 1 (warnings)"
expect 'SyncStale Raven' "stale user's Raven sync is reported stale"

log=$out/verify-needs-attention.txt
set +e
run Leaf.Sdk.Samples.VerifyConnection --user "$needs_attention" --min-fields 10 > "$log" 2>&1
status=$?
set -e
[ "$status" -eq 2 ] || fail "needs-attention user: exit $status, expected 2"
ok "needs-attention user exits 2 (errors)"
for code in NoFields ExposedLevelMissing ExposedLevelEmpty UnexpectedLevelCount SyncTimeMissing UnknownProvider BelowExpectedScope; do
  expect "$code" "finding $code shown"
done
expect '^Errors (' "findings grouped by severity: errors"
expect '^Warnings (' "findings grouped by severity: warnings"
expect '^Info (' "findings grouped by severity: info"

# Bad arguments exit 64 with a message, never a crash (an unhandled exception exits 134).
for bad in "--max-age 30000000d" "--max-age 0.00000001s" "--max-age 90" "--max-age" "--bogus"; do
  log=$out/verify-bad-args.txt
  set +e
  # shellcheck disable=SC2086
  run Leaf.Sdk.Samples.VerifyConnection $bad > "$log" 2>&1
  status=$?
  set -e
  [ "$status" -eq 64 ] || fail "leaf-verify-connection $bad: exit $status, expected 64"
  grep -q "Unhandled exception" "$log" && fail "leaf-verify-connection $bad crashed"
  ok "leaf-verify-connection $bad exits 64"
done

echo "== leaf-sync-aot settings errors (the JIT build; CI publishes the native one separately)"
log=$out/aot-bad-address.txt
set +e
LEAF_TOKEN=x LEAF_BASE_ADDRESS='http://[::1' run Leaf.Sdk.Samples.Aot > "$log" 2>&1
status=$?
set -e
[ "$status" -eq 1 ] || fail "leaf-sync-aot with an unparsable LEAF_BASE_ADDRESS: exit $status, expected 1"
grep -q "Unhandled exception" "$log" && fail "leaf-sync-aot crashed on an unparsable LEAF_BASE_ADDRESS"
expect "error: invalid settings: LEAF_BASE_ADDRESS" "leaf-sync-aot names an unparsable LEAF_BASE_ADDRESS and exits 1"

echo "== leaf-web-api start-up validation"
for bad in "SyncChecks__HealthLeafUserIds__0=abc" "SyncChecks__ExpectedProviders__0=Deere" "Leaf__MaxRetries=-1"; do
  log=$out/web-api-bad-config.txt
  set +e
  env "$bad" dotnet run --no-build -c Release --project samples/Leaf.Sdk.Samples.WebApi -- --urls http://127.0.0.1:0 > "$log" 2>&1
  status=$?
  set -e
  [ "$status" -eq 1 ] || fail "leaf-web-api with $bad: exit $status, expected 1"
  grep -q "Unhandled exception" "$log" && fail "leaf-web-api crashed on $bad"
  key=${bad%%=*}
  grep -q "^error: invalid configuration: .*${key//__/:}" "$log" || fail "leaf-web-api with $bad does not name ${key//__/:}"
  ok "leaf-web-api refuses $bad at start-up in one line"
done

echo "== leaf-web-api"
port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
url=http://127.0.0.1:$port
web_log=$out/web-api.log
dotnet run --no-build -c Release --project samples/Leaf.Sdk.Samples.WebApi -- --urls "$url" > "$web_log" 2>&1 &
pids+=($!)
for _ in $(seq 1 150); do curl -fs "$url/" > /dev/null 2>&1 && break; sleep 0.2; done
log=$web_log
curl -fs "$url/" > /dev/null || fail "the web app did not answer on $url"
ok "web app answers on $url (--urls)"
expect 'embedded fake Leaf server' "web app logs that it uses the embedded fake server"

log=$out/web-sync.json
curl -fsS "$url/sync/$healthy" > "$log" || fail "GET /sync/$healthy"
json_ok "$log"
python3 - "$log" <<'PY' || fail "GET /sync body"
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["status"] == "ok", doc["status"]
assert doc["findings"] == [], doc["findings"]
assert sorted(s["provider"] for s in doc["summaries"]) == ["CNHIFieldOps", "ClimateFieldView", "JohnDeere", "Trimble"]
PY
ok "GET /sync/<healthy> is JSON: status ok, no findings, the four providers"

log=$out/web-sync-needs-attention.json
curl -fsS "$url/sync/$needs_attention" > "$log" || fail "GET /sync/$needs_attention"
python3 - "$log" <<'PY' || fail "GET /sync needs-attention body"
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["status"] == "errors", doc["status"]
codes = {f["code"] for f in doc["findings"]}
assert {"NoFields", "UnknownProvider"} <= codes, codes
assert all(f["message"] and f["severity"] for f in doc["findings"])
PY
ok "GET /sync/<needs attention> reports errors with NoFields and UnknownProvider findings"

log=$out/web-health.json
code=$(curl -s -o "$log" -w '%{http_code}' "$url/health")
[ "$code" = 200 ] || fail "/health answered $code"
json_ok "$log"
python3 - "$log" <<'PY' || fail "/health body"
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["status"] == "Healthy", doc["status"]
assert doc["checks"]["leaf-sync"]["data"]["leafUsers"] == 1
PY
ok "/health is 200 Healthy with the leaf-sync check's data"
log=$web_log
expect "Checked Leaf user $healthy: ok" "structured log line for the /sync call"
kill "${pids[-1]}" 2>/dev/null || true
wait "${pids[-1]}" 2>/dev/null || true

echo "== leaf-web-api configured by environment variables (Leaf__AccessToken, Leaf__BaseAddress) against the served fake"
port2=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
url2=http://127.0.0.1:$port2
web2_log=$out/web-api-env.log
Leaf__AccessToken=$token Leaf__BaseAddress=$base SyncChecks__HealthLeafUserIds__0=$stale \
  dotnet run --no-build -c Release --project samples/Leaf.Sdk.Samples.WebApi -- --urls "$url2" > "$web2_log" 2>&1 &
pids+=($!)
for _ in $(seq 1 150); do curl -fs "$url2/" > /dev/null 2>&1 && break; sleep 0.2; done
log=$web2_log
expect "Calling Leaf at $base" "Leaf__AccessToken and Leaf__BaseAddress configure the SDK (no embedded fake)"
log=$out/web-env-health.json
code=$(curl -s -o "$log" -w '%{http_code}' "$url2/health")
[ "$code" = 200 ] || fail "/health answered $code"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["status"] == "Degraded", d["status"]' "$log" || fail "/health for the stale user is not Degraded"
ok "/health for the stale user configured by SyncChecks__HealthLeafUserIds__0 is Degraded (200)"
kill "${pids[-1]}" 2>/dev/null || true
wait "${pids[-1]}" 2>/dev/null || true

echo "== leaf-sync-summary --serve shutdown"
exec 3>&-
for _ in $(seq 1 50); do kill -0 "$serve_pid" 2>/dev/null || break; sleep 0.2; done
log=$out/serve.stderr
if kill -0 "$serve_pid" 2>/dev/null; then fail "--serve still runs 10 s after its stdin closed"; fi
wait "$serve_pid" || fail "--serve exited $? after its stdin closed"
ok "--serve stops with exit code 0 when its stdin closes"

echo "all $checks checks passed in $((SECONDS - start)) s"
