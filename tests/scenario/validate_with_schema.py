#!/usr/bin/env python3
"""Checks the JSON Schema of `outagesim schema` with an independent validator
(python3-jsonschema), reading YAML the way an editor's language server does.

Usage: validate_with_schema.py OUTAGESIM_BINARY REPO_ROOT

- every *.yaml under scenarios/, except the provider templates in
  scenarios/providers/ and the sweep specs in scenarios/sweeps/, must be valid;
- every sweep spec in scenarios/sweeps/ must be valid for `outagesim schema
  --sweep`, and one with a misspelt key must not;
- a set of documents built here, right ones and deliberately wrong ones,
  must get the same verdict from the schema as from `outagesim validate`, so
  a schema that accepts everything, or rejects too much, fails.
"""

import copy
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import jsonschema
import yaml


class Yaml12Loader(yaml.SafeLoader):
    """YAML 1.2's core schema, as yaml-language-server reads files. PyYAML's
    YAML 1.1 would turn 2025-11-18T11:00:00Z into a datetime, 11:20 into the
    integer 680 and `no` into false; no editor does, and neither does the loader."""


_YAML11_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("bool", "int", "float", "timestamp", "value")}
Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _YAML11_TAGS]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"), list("-+0123456789"))
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+.0123456789"))


def _construct_int(loader, node):
    text = loader.construct_scalar(node)
    return int(text, 0 if text[:2] in ("0o", "0x") else 10)  # YAML 1.2: 010 is ten, not octal eight


Yaml12Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)


def load_yaml(text):
    return yaml.load(text, Loader=Yaml12Loader)


# A valid scenario touching most value types: numbers where YAML makes them
# numbers (name: 2025, share: 0.3, apply_delay: 0), ${params}, a template, shorthands,
# times and distributions.
BASE = """
params:
  cap: 200k
  bad_share: 30%
scenario:
  name: 2025
  start: 2025-11-18T11:00:00Z
  duration: 1h30m
  seed: 7
regions:
  - {name: lab, latitude: -33.9, longitude: 151.2}
providers:
  - name: cdn
    services:
      - name: proxy
        instances: {na-east: 2, lab: 1}
        capacity: ${cap} rps
        variants:
          - {name: a, share: 0.3}
          - {name: b, share: 70%}
    channels:
      - name: cfg
        consumers: proxy
        origin: na-east
        size: 1MB
        apply_delay: 0
        topology: broadcast
        rollout:
          kind: staged
          waves:
            - {fraction: 50%, bake: 5m}
            - {fraction: 1}
  - name: edge
    use: global-cdn
    services:
      - name: proxy
        variants:
          - {name: fl1, share: "${bad_share}"}
          - {name: fl2, share: 70%}
sites:
  - {name: shop.example, rps: 12k rps, depends_on: [{target: cdn.proxy}, {target: edge.proxy, kind: soft}]}
faults:
  - id: push
    kind: bad_config_push
    channel: cdn.cfg
    at: {dist: uniform, min: 10m, max: 20m}
    duration: 25m
    effects:
      - {variant: b, error_rate: 1}
  - id: crash
    kind: crash
    at: +47m
    target: {service: cdn.proxy, count: 1}
    down: 5m
operators:
  - name: sre
    diagnosis: {dist: lognormal, median: 20m, p95: 1h}
    actions:
      - {do: revert, at: +50m, channel: cdn.cfg}
output:
  resolution: 10s
  site_down_below: 0.9
"""


def variant(change):
    doc = load_yaml(BASE)
    change(doc)
    return doc


def cdn(doc):
    return doc["providers"][0]


def assign(container, key, value):
    container[key] = value


# (what, change to BASE, valid?)
CASES = [
    ("the base document", lambda d: None, True),
    ("an empty list of faults and no operators",
     lambda d: (assign(d, "faults", None), d.pop("operators")), True),
    ("shorthands and quoted numbers",
     lambda d: (assign(cdn(d)["channels"][0], "rollout", "global"), assign(cdn(d)["channels"][0], "source", "manual"),
                assign(d["scenario"], "seed", "7"), assign(d["regions"][0], "latitude", "-33.9")), True),
    ("an unknown top-level key", lambda d: assign(d, "providerz", []), False),
    ("a duration in parsecs", lambda d: assign(d["scenario"], "duration", "5 parsecs"), False),
    ("no providers", lambda d: d.pop("providers"), False),
    ("a misspelt fault kind", lambda d: assign(d["faults"][0], "kind", "bad_config_pusj"), False),
    ("a share of 150%", lambda d: assign(cdn(d)["services"][0]["variants"][1], "share", "150%"), False),
    ("a share of 1.5", lambda d: assign(cdn(d)["services"][0]["variants"][0], "share", 1.5), False),
    ("a misspelt service key", lambda d: assign(cdn(d)["services"][0], "capacty", "1k rps"), False),
    ("a misspelt key in an entry using a template",
     lambda d: assign(d["providers"][1]["services"][0], "capacty", "1k rps"), False),
    ("a service without capacity", lambda d: cdn(d)["services"][0].pop("capacity"), False),
    ("a cpu budget instead of capacity",
     lambda d: (cdn(d)["services"][0].pop("capacity"), assign(cdn(d)["services"][0], "cpu", {"cores": 8, "cost": "20ms"})),
     True),
    ("both capacity and a cpu budget", lambda d: assign(cdn(d)["services"][0], "cpu", {"cores": 8, "cost": "20ms"}), False),
    ("a closed loop instead of rps",
     lambda d: (d["sites"][0].pop("rps"), assign(d["sites"][0], "closed_loop", {"users": 500, "think_time": "5s"})), True),
    ("a site without rps or closed loop", lambda d: d["sites"][0].pop("rps"), False),
    ("a duration where a time goes", lambda d: assign(d["faults"][1], "at", "5m"), False),
    ("a uniform distribution without max", lambda d: assign(d["faults"][0], "at", {"dist": "uniform", "min": "10m"}),
     False),
    ("an exp distribution with a max",
     lambda d: assign(d["operators"][0], "diagnosis", {"dist": "exp", "mean": "5m", "max": "1h"}), False),
    ("an unknown topology shorthand", lambda d: assign(cdn(d)["channels"][0], "topology", "mesh"), False),
    ("an empty site name", lambda d: assign(d["sites"][0], "name", ""), False),
    ("a negative instance count", lambda d: assign(cdn(d)["services"][0]["instances"], "na-east", -1), False),
    ("a size without a unit", lambda d: assign(cdn(d)["channels"][0], "size", 1000000), False),
    ("a seed in words", lambda d: assign(d["scenario"], "seed", "seven"), False),
    ("yes for a boolean", lambda d: assign(cdn(d)["channels"][0], "last_known_good", "yes"), False),
    ("a list as a parameter", lambda d: assign(d["params"], "cap", [1]), False),
    ("a start that is no timestamp", lambda d: assign(d["scenario"], "start", "tomorrow"), False),
    ("a rate in qps", lambda d: assign(d["sites"][0], "rps", "12k qps"), False),
]


def describe_errors(errors):
    lines = []
    for error in sorted(errors, key=lambda e: [str(p) for p in e.absolute_path])[:10]:
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        lines.append(f"    at {where}: {error.message[:300]}")
    return "\n".join(lines)


def loader_accepts(binary, path):
    result = subprocess.run([binary, "validate", str(path)], capture_output=True, text=True)
    if result.returncode not in (0, 2):
        raise SystemExit(f"outagesim validate {path} failed with exit code {result.returncode}:\n{result.stderr}")
    return result.returncode == 0, result.stderr.strip()


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    binary, root = sys.argv[1], Path(sys.argv[2])
    printed = subprocess.run([binary, "schema"], capture_output=True, text=True, check=True).stdout
    schema = json.loads(printed)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    failures = []

    templates = root / "scenarios" / "providers"
    sweeps = root / "scenarios" / "sweeps"
    files = sorted(p for p in (root / "scenarios").rglob("*.yaml")
                   if templates not in p.parents and sweeps not in p.parents)
    if not files:
        failures.append(f"no scenario files found under {root / 'scenarios'}")
    for path in files:
        errors = list(validator.iter_errors(load_yaml(path.read_text())))
        if errors:
            failures.append(f"{path.relative_to(root)} is valid for outagesim but the schema rejects it:\n"
                            + describe_errors(errors))

    sweep_printed = subprocess.run([binary, "schema", "--sweep"], capture_output=True, text=True, check=True).stdout
    sweep_schema = json.loads(sweep_printed)
    jsonschema.Draft202012Validator.check_schema(sweep_schema)
    sweep_validator = jsonschema.Draft202012Validator(sweep_schema)
    sweep_files = sorted(sweeps.glob("*.yaml"))
    for path in sweep_files:
        doc = load_yaml(path.read_text())
        errors = list(sweep_validator.iter_errors(doc))
        if errors:
            failures.append(f"{path.relative_to(root)} is valid for outagesim but the sweep schema rejects it:\n"
                            + describe_errors(errors))
        misspelt = copy.deepcopy(doc)
        misspelt["replicatons"] = 2
        if sweep_validator.is_valid(misspelt):
            failures.append(f"{path.relative_to(root)} with a misspelt key 'replicatons': the sweep schema accepts it")

    with tempfile.TemporaryDirectory() as tmp:
        if templates.is_dir():
            shutil.copytree(templates, Path(tmp) / "providers")
        for what, change, valid in CASES:
            doc = variant(change)
            schema_ok = validator.is_valid(copy.deepcopy(doc))
            path = Path(tmp) / "case.yaml"
            path.write_text(yaml.safe_dump(doc, sort_keys=False))
            loader_ok, loader_says = loader_accepts(binary, path)
            expected = "valid" if valid else "invalid"
            if loader_ok != valid:
                failures.append(f"{what}: outagesim validate {'accepts' if loader_ok else 'rejects'} it, which this "
                                f"test means to be {expected}; it says:\n    {loader_says or '(nothing)'}\n"
                                f"  document:\n{path.read_text()}")
            if schema_ok != valid:
                detail = describe_errors(validator.iter_errors(doc)) if not schema_ok else ""
                failures.append(f"{what}: the schema {'accepts' if schema_ok else 'rejects'} it, which is "
                                f"{expected} for outagesim\n{detail}")

    if failures:
        print("validate_with_schema: FAILED\n\n" + "\n\n".join(failures), file=sys.stderr)
        return 1
    print(f"validate_with_schema: {len(files)} scenario files and {len(sweep_files)} sweep specs valid; "
          f"{len(CASES)} documents judged alike by the schema and by outagesim validate")
    return 0


if __name__ == "__main__":
    sys.exit(main())
