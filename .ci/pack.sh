#!/usr/bin/env bash
# Packs every package, checks what is inside, then builds and runs a project outside the solution that installs
# Leaf.Sdk and Leaf.Sdk.Testing from the packed folder only, the way a user would.
set -euo pipefail
cd "$(dirname "$0")/.."
packages=artifacts/packages
rm -rf "$packages" artifacts/consumer-packages tests/Consumption/bin tests/Consumption/obj
mkdir -p artifacts   # run alone on a fresh clone, tee had nowhere to write and the script stopped after packing
dotnet pack Leaf.Sdk.sln -c Release -o "$packages" 2>&1 | tee artifacts/pack.log
# A warning with no code (": warning : ...") counts too.
# Collected, not tested with grep -q, which under pipefail missed warnings when there were many (see .ci/run).
warnings=$(grep -E ': warning ([A-Z]+[0-9]+)?:' artifacts/pack.log | grep -v NU1603 | sort -u || true)
if [ -n "$warnings" ]; then
  echo "pack produced warnings:"; echo "$warnings"; exit 1
fi

version=$(sed -n 's:.*<VersionPrefix>\(.*\)</VersionPrefix>.*:\1:p' Directory.Build.props)
for id in $(ls "$packages"/*.nupkg | xargs -n1 basename | sed "s/\.$version\.nupkg$//"); do
  nupkg="$packages/$id.$version.nupkg"
  listing=$(unzip -l "$nupkg")
  echo "$listing"
  for entry in README.md "lib/net10.0/$id.dll" "lib/net10.0/$id.xml"; do
    grep -q " $entry\$" <<<"$listing" || { echo "$nupkg lacks $entry"; exit 1; }
  done
  [ -f "$packages/$id.$version.snupkg" ] || { echo "missing symbols package for $id"; exit 1; }
  nuspec=$(unzip -p "$nupkg" "$id.nuspec")
  grep -q '<license type="expression">MIT</license>' <<<"$nuspec" || { echo "$id has no licence expression"; exit 1; }
  grep -q '<readme>README.md</readme>' <<<"$nuspec" || { echo "$id shows no readme on the gallery"; exit 1; }
  # The packed README is the package's gallery page, where a link relative to the repository leads nowhere.
  if unzip -p "$nupkg" README.md | grep -oE '\]\([^)]*\)' | grep -vE '^\]\(https?://'; then
    echo "$id's README has a relative link (above), broken on the gallery"; exit 1
  fi
  # Build-only, analyzer and test packages must not reach users' apps; WireMock only through Leaf.Sdk.Testing.
  deps=$(grep -o '<dependency id="[^"]*"' <<<"$nuspec" | sed 's/.*id="//; s/"$//')
  if grep -i -E 'analyzers|nunit|test\.sdk|testadapter|benchmarkdotnet|sourcelink' <<<"$deps"; then
    echo "$id depends on a build-only or test package (above)"; exit 1
  fi
  if [ "$id" != Leaf.Sdk.Testing ] && grep -i wiremock <<<"$deps"; then
    echo "$id depends on WireMock"; exit 1
  fi
done

dotnet run --project tests/Consumption/Consumer.csproj -p:LeafSdkVersion="$version" | tee artifacts/consumer.log
grep -q '^standalone: 4 summaries$' artifacts/consumer.log
grep -q '^di: [1-9][0-9]* John Deere summaries$' artifacts/consumer.log
grep -q '^login: 4 summaries after 1 login(s)$' artifacts/consumer.log
grep -q '^health: Healthy$' artifacts/consumer.log
