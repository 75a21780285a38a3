#!/usr/bin/env bash
# Runs every scenario under scenarios/ (and two generated ones: the macro
# benchmark's scale scenario and a population with a mix) with two outagesim
# binaries and compares the run directories byte for byte. manifest.json is
# compared without command_line, which names the binary and the run
# directory. scenario.yaml (and its entry in manifest.json's files) is
# compared only when both binaries write it: a base binary from before it
# existed is still comparable. Exits 1 if any file differs.
# usage: scripts/compare-runs.sh BASE_OUTAGESIM NEW_OUTAGESIM
set -euo pipefail
cd "$(dirname "$0")/.."
base=$1
new=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

bench/generate_scenario.py 60 300 6h 1m > "$work/scale.yaml"
cat > "$work/population.yaml" <<'YAML'
scenario: {name: population-mix, start: 2025-06-02T00:00:00Z, duration: 6h, seed: 5}
providers:
  - name: dns
    services: [{name: auth, instances: {na-east: 2, eu-west: 2}, capacity: 1M rps}]
    records: [{name: www, points_to: cdn-a.proxy, secondary: cdn-b.proxy, ttl: 5m}]
  - name: cdn-a
    services: [{name: proxy, instances: {na-east: 6, eu-west: 6}, capacity: 100k rps}]
    channels: [{name: rules, consumers: proxy, origin: na-east, size: 1MB}]
  - name: cdn-b
    services: [{name: proxy, instances: {na-east: 4, eu-west: 4}, capacity: 100k rps}]
  - name: cloud
    services: [{name: compute, instances: {na-east: 4}, capacity: 200k rps, queue: {max_wait: 10s}}]
traffic:
  client_regions:
    - {region: eu-west, users: 60%, utc_offset: 1h}
    - {region: na-east, users: 40%, utc_offset: -5h}
  diurnal: {peak_to_trough: 3, peak_hour: 20}
  population:
    sites: 5000
    total_rps: 400k rps
    mix:
      - {name: a-only, share: 40%, depends_on: [{target: cdn-a.proxy}, {target: cloud.compute}]}
      - {name: multi-cdn, share: 25%, depends_on: [{kind: any_of, targets: [cdn-a.proxy, cdn-b.proxy]}]}
      - {name: through-dns, share: 25%, depends_on: [{kind: cached, record: dns.www, serve_stale: 1h}]}
      - {name: b-soft-cloud, share: 10%, depends_on: [{target: cdn-b.proxy}, {kind: soft, target: cloud.compute}]}
sites:
  - {name: shop.example, rps: 20k rps, depends_on: [{target: cdn-a.proxy}]}
  - {name: api.example, rps: 5k rps, depends_on: [{kind: cached, record: dns.www, serve_stale: 1h}]}
faults:
  - {id: push, kind: bad_config_push, channel: cdn-a.rules, at: +1h, effects: [{variant: default, error_rate: 100%}]}
  - {id: dns-down, kind: crash, at: +3h, target: {service: dns.auth}, down: 30m}
  - {id: surge, kind: load_surge, at: +4h, duration: 20m, target: {service: cloud.compute}, load_factor: 3}
operators:
  - name: sre
    actions: [{at: +2h, do: revert, channel: cdn-a.rules}]
output:
  resolution: 1m
  site_series: [shop.example]
YAML

strip_manifest() { python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); m.pop("command_line"); m["files"]=[f for f in m.get("files",[]) if f!="scenario.yaml" or sys.argv[2]=="1"]; print(json.dumps(m, indent=1, sort_keys=True))' "$1" "$2"; }

failed=0 count=0
for file in scenarios/examples/*.yaml scenarios/incidents/*.yaml scenarios/whatif/*.yaml "$work/scale.yaml" "$work/population.yaml"; do
  name=$(basename "$file" .yaml)
  "$base" run "$file" --out "$work/base/$name" > /dev/null 2>&1 || echo "base exit $? on $file"
  "$new" run "$file" --out "$work/new/$name" > /dev/null 2>&1 || echo "new exit $? on $file"
  count=$((count + 1))
  both=0; [ -e "$work/base/$name/scenario.yaml" ] && both=1
  for f in "$work/base/$name"/*; do
    leaf=$(basename "$f")
    if [ "$leaf" = manifest.json ]; then
      if ! diff -q <(strip_manifest "$f" $both) <(strip_manifest "$work/new/$name/$leaf" $both) > /dev/null; then
        echo "DIFFERS: $file $leaf"; failed=1
      fi
    elif ! cmp -s "$f" "$work/new/$name/$leaf"; then
      echo "DIFFERS: $file $leaf"; failed=1
    fi
  done
  [ "$(ls "$work/base/$name")" = "$(ls "$work/new/$name" | { [ $both = 1 ] && cat || grep -vx scenario.yaml; })" ] || { echo "DIFFERS: $file file list"; failed=1; }
  rm -rf "$work/base/$name" "$work/new/$name"
done
echo "compared $count scenarios: $([ $failed = 0 ] && echo identical || echo 'some differ')"
exit $failed
