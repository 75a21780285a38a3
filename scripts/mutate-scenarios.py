#!/usr/bin/python3
"""Mutation harness: random structural and value mutations of the scenarios
under scenarios/, each run through `outagesim validate` and, when it
validates, `outagesim run`, under a timeout and a memory limit.

Expected outcomes are exit 0 (accepted, ran) and exit 2 (bad input, with a
diagnostic). Findings are everything else: exit 1 (internal error), any other
exit code, death by a signal, a timeout, and a run that exits 0 with a
non-finite number (nan, inf) in summary.json or timeseries.csv. Each finding
is saved under the findings folder with its command and stderr.

Usage:
  scripts/mutate-scenarios.py [--binary build/ci/sim/cli/outagesim] [--count 300]
                              [--seed 1] [--timeout 20] [--memory-mb 8192]
                              [--findings build/mutants/findings]

Debian's python3 and python3-yaml only. See fuzz/README.md.
"""

import argparse
import copy
import csv
import json
import math
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent

# ---------------------------------------------------------------- the tree --


class ScenarioLoader(yaml.SafeLoader):
    """PyYAML's safe loader with YAML 1.2's plain scalars, as yaml-cpp reads
    them: `11:20` and `2025-11-18T11:20:00Z` stay strings (YAML 1.1 would make
    a sexagesimal integer and a datetime of them), so an unmutated scenario
    dumps back to a scenario outagesim accepts."""


ScenarioLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers
            if tag not in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
ScenarioLoader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^[-+]?(0|[1-9][0-9]*)$"),
                                     list("-+0123456789"))
ScenarioLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?([0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)([eE][-+]?[0-9]+)?$|^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$"),
    list("-+.0123456789"))


def paths(node, prefix=()):
    """Every (path, node) in a loaded YAML tree, the root included."""
    yield prefix, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from paths(value, prefix + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from paths(value, prefix + (index,))


def get(tree, path):
    for part in path:
        tree = tree[part]
    return tree


def put(tree, path, value):
    get(tree, path[:-1])[path[-1]] = value


EXTREME_NUMBERS = ["0", "-1", "1e308", "-1e308", "1e-300", "nan", "inf", "-inf", ".nan", ".inf",
                   "9223372036854775807", "18446744073709551616", "-0", "0.0000001", "1e30"]
NUMBER_WITH_UNIT = re.compile(r"^\s*([+-]?[0-9.eE+-]+)\s*([A-Za-z/% ]*)$")


def extreme_value(rng, old):
    """An extreme replacement for a scalar, keeping its unit when it has one."""
    number = rng.choice(EXTREME_NUMBERS)
    if isinstance(old, str):
        match = NUMBER_WITH_UNIT.match(old)
        if match and match.group(2).strip():
            return f"{number}{match.group(2).strip()}"
        if old.startswith("+"):  # a time offset such as +30m
            return f"+{number}{rng.choice(['s', 'm', 'h', 'd'])}"
    if number in ("nan", "inf", "-inf", ".nan", ".inf"):
        return float(number.lstrip("."))
    return float(number) if any(c in number for c in ".e") else int(number)


def other_type(rng, old):
    """The same place holding a value of another type."""
    choices = [None, True, 42, -3.5, "", "text", [], {}, [old], {"value": old}]
    choices = [c for c in choices if type(c) is not type(old)]
    return rng.choice(choices)


def tree_mutations(rng, tree):
    """Applies one structural or value mutation to `tree`; returns its name."""
    everything = [(p, n) for p, n in paths(tree) if p]
    scalars = [(p, n) for p, n in everything if not isinstance(n, (dict, list))]
    maps = [(p, n) for p, n in paths(tree) if isinstance(n, dict) and n]
    lists = [(p, n) for p, n in everything if isinstance(n, list) and n]
    # Value mutations weigh most: they are the ones likely to pass validation
    # and reach `run`, where the models meet them.
    kind = rng.choice(["extreme_number"] * 4 + ["delete_key", "swap_type", "huge_string", "duplicate_element",
                                                 "unknown_key", "empty_container", "huge_list"])
    if kind == "delete_key" and maps:
        path, node = rng.choice(maps)
        del node[rng.choice(list(node))]
    elif kind == "swap_type" and everything:
        path, node = rng.choice(everything)
        put(tree, path, other_type(rng, node))
    elif kind == "extreme_number" and scalars:
        path, node = rng.choice(scalars)
        put(tree, path, extreme_value(rng, node))
    elif kind == "huge_string" and scalars:
        path, node = rng.choice(scalars)
        put(tree, path, rng.choice(["x", "é", "../", "%", "{}"]) * rng.choice([300, 5000, 200000]))
    elif kind == "duplicate_element" and lists:
        path, node = rng.choice(lists)
        node.append(copy.deepcopy(rng.choice(node)))
    elif kind == "unknown_key" and maps:
        path, node = rng.choice(maps)
        node[rng.choice(["extra", "nmae", "kind ", ""])] = 1
    elif kind == "empty_container" and everything:
        path, node = rng.choice([(p, n) for p, n in everything if isinstance(n, (dict, list))] or everything)
        put(tree, path, type(node)() if isinstance(node, (dict, list)) else None)
    elif kind == "huge_list" and lists:
        path, node = rng.choice(lists)
        node.extend(copy.deepcopy(node[0]) for _ in range(rng.choice([100, 2000])))
    else:
        return None
    return kind


# ---------------------------------------------------------------- the text --


def text_mutations(rng, text):
    """Applies one mutation to the YAML text itself; returns (bytes, name)."""
    lines = text.split("\n")
    kind = rng.choice(["invalid_utf8", "duplicate_key", "deep_nesting", "self_alias", "alias_chain",
                       "alias_reuse", "bom_crlf", "truncate", "second_document", "control_bytes"])
    data = None
    if kind == "invalid_utf8":
        # Appended to a line that ends in a plain scalar, so it lands in a value or a name.
        i = rng.randrange(len(lines))
        bad = rng.choice([b"\xff\xfe", b"\xc3\x28", b"\xed\xa0\x80", b"\xc0\xaf", b"\x80"])
        data = b"\n".join(line.encode("utf-8") + (bad if k == i else b"") for k, line in enumerate(lines))
    elif kind == "duplicate_key":
        keyed = [i for i, line in enumerate(lines) if re.match(r"^\s*[a-z_]+:", line)]
        if keyed:
            i = rng.choice(keyed)
            lines.insert(i + 1, lines[i])
    elif kind == "deep_nesting":
        depth = rng.choice([100, 1000, 10000, 100000])
        scalar = [i for i, line in enumerate(lines) if re.match(r"^\s*[a-z_]+: \S", line)]
        if scalar:
            i = rng.choice(scalar)
            key, _, value = lines[i].partition(": ")
            lines[i] = f"{key}: {'[' * depth}{value}{']' * depth}"
    elif kind == "self_alias":
        lines.append(rng.choice(["x: &a [*a]", "x: &a {k: *a}", "params: &a {p: *a}"]))
    elif kind == "alias_chain":
        count = rng.choice([100, 1000, 10000])
        chain = ["a0: &a0 [x]"] + [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}]" for i in range(1, count)]
        lines = chain + lines
    elif kind == "alias_reuse":
        scalar = [i for i, line in enumerate(lines) if re.match(r"^\s*[a-z_]+: [^&*\[{]", line)]
        if len(scalar) >= 2:
            i, j = sorted(rng.sample(scalar, 2))
            key, _, value = lines[i].partition(": ")
            lines[i] = f"{key}: &m {value}"
            key, _, _ = lines[j].partition(": ")
            lines[j] = f"{key}: *m"
    elif kind == "bom_crlf":
        text = "\ufeff" + "\r\n".join(lines)
        return text.encode("utf-8"), kind
    elif kind == "truncate":
        cut = rng.randrange(len(text) + 1)
        return text[:cut].encode("utf-8"), kind
    elif kind == "second_document":
        lines.append("---")
        lines.append("scenario: {name: second}")
    elif kind == "control_bytes":
        i = rng.randrange(len(lines))
        lines[i] = lines[i] + rng.choice(["\x00", "\x07", "\x1b[31m", "\t"])
    if data is None:
        data = "\n".join(lines).encode("utf-8")
    return data, kind


# ----------------------------------------------------------------- running --


def limit_memory(megabytes):
    def apply():
        size = megabytes << 20
        resource.setrlimit(resource.RLIMIT_AS, (size, size))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    return apply


def run(command, timeout, memory_mb):
    """(outcome, stderr): outcome is 'exit N', 'signal NAME' or 'timeout'."""
    try:
        done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=timeout,
                              preexec_fn=limit_memory(memory_mb))
    except subprocess.TimeoutExpired as e:
        return "timeout", (e.stderr or b"")
    if done.returncode < 0:
        import signal
        return f"signal {signal.Signals(-done.returncode).name}", done.stderr
    return f"exit {done.returncode}", done.stderr


def non_finite(value):
    return isinstance(value, float) and not math.isfinite(value)


def json_numbers(node):
    if isinstance(node, dict):
        for value in node.values():
            yield from json_numbers(value)
    elif isinstance(node, list):
        for value in node:
            yield from json_numbers(value)
    elif isinstance(node, (int, float)) and not isinstance(node, bool):
        yield node


def non_finite_outputs(run_dir):
    """Files of a finished run holding a number that is nan or inf (names
    such as a site called `nan` do not count)."""
    found = []
    summary = run_dir / "summary.json"
    if summary.is_file():
        try:
            # Python's json reads NaN and Infinity; a bare -nan is no JSON at all.
            if any(non_finite(x) for x in json_numbers(json.loads(summary.read_text(errors="replace")))):
                found.append("summary.json")
        except ValueError:
            found.append("summary.json (not JSON)")
    timeseries = run_dir / "timeseries.csv"
    if timeseries.is_file():
        with timeseries.open(newline="", errors="replace") as f:
            rows = csv.DictReader(f)
            # Long format: t,time_utc,scope,entity,metric,value; entity holds names.
            numeric = [c for c in ("t", "value") if c in (rows.fieldnames or [])]
            for row in rows:
                cells = [row.get(c) or "" for c in numeric]
                if any(re.fullmatch(r"[-+]?(nan|inf|infinity)", cell.strip(), re.I) for cell in cells):
                    found.append("timeseries.csv")
                    break
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=str(ROOT / "build/ci/sim/cli/outagesim"))
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds per command")
    parser.add_argument("--memory-mb", type=int, default=8192, help="address-space limit per command")
    parser.add_argument("--findings", default=str(ROOT / "build/mutants/findings"))
    parser.add_argument("--scenarios", default=str(ROOT / "scenarios"))
    args = parser.parse_args()

    rng = random.Random(args.seed)
    scenarios_dir = Path(args.scenarios)
    sources = sorted(p for p in scenarios_dir.rglob("*.yaml") if p.parent.name not in ("providers", "sweeps"))
    findings = Path(args.findings)
    findings.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="outagesim-mutants-"))
    # Mutants live in work/mutants/ beside a copy of the templates, so that
    # `use: global-cdn` resolves as it does under scenarios/.
    shutil.copytree(scenarios_dir / "providers", work / "providers")
    (work / "mutants").mkdir()

    tally = Counter()
    found = []
    for n in range(args.count):
        source = rng.choice(sources)
        text = source.read_text()
        applied = []
        tree = yaml.load(text, Loader=ScenarioLoader)
        for _ in range(rng.choice([1, 1, 1, 2, 3])):
            name = tree_mutations(rng, tree)
            if name:
                applied.append(name)
        text = yaml.safe_dump(tree, sort_keys=False, allow_unicode=True, width=1 << 30)
        if rng.random() < 0.35:
            data, name = text_mutations(rng, text)
            applied.append(name)
        else:
            data = text.encode("utf-8")
        mutant = work / "mutants" / f"{n:04d}-{source.stem}.yaml"
        mutant.write_bytes(data)

        steps = [("validate", [args.binary, "validate", str(mutant)])]
        outcome, stderr = run(steps[0][1], args.timeout, args.memory_mb)
        tally[("validate", outcome)] += 1
        results = [("validate", outcome, stderr, steps[0][1])]
        if outcome == "exit 0":
            run_dir = work / "runs" / mutant.stem
            command = [args.binary, "run", str(mutant), "--out", str(run_dir)]
            outcome, stderr = run(command, args.timeout, args.memory_mb)
            if outcome == "exit 0" and non_finite_outputs(run_dir):
                outcome = "exit 0 with nan/inf in " + "+".join(non_finite_outputs(run_dir))
            tally[("run", outcome)] += 1
            results.append(("run", outcome, stderr, command))
            shutil.rmtree(run_dir, ignore_errors=True)

        for step, outcome, stderr, command in results:
            if outcome in ("exit 0", "exit 2"):
                continue
            slug = re.sub(r"[^a-z0-9]+", "-", f"{step} {outcome}".lower()).strip("-")
            kept = findings / f"{n:04d}-{source.stem}-{slug}"
            kept.mkdir(parents=True, exist_ok=True)
            shutil.copy(mutant, kept / "scenario.yaml")
            (kept / "stderr.txt").write_bytes(stderr[-20000:])
            (kept / "finding.txt").write_text(
                f"source: {source.relative_to(ROOT) if source.is_relative_to(ROOT) else source}\n"
                f"mutations: {', '.join(applied)}\nstep: {step}\noutcome: {outcome}\n"
                f"command: {' '.join(command)}\n")
            found.append((n, source.name, ", ".join(applied), step, outcome, stderr.decode(errors="replace")))
        mutant.unlink()
        print(f"[{n + 1}/{args.count}] {source.name} ({', '.join(applied)}): "
              + "; ".join(f"{s} {o}" for s, o, _, _ in results), flush=True)

    shutil.rmtree(work, ignore_errors=True)
    print("\nmutants:", args.count)
    for (step, outcome), count in sorted(tally.items()):
        print(f"  {step:8} {outcome:40} {count}")
    print(f"findings: {len(found)} (saved under {findings})")
    for n, source, applied, step, outcome, stderr in found:
        last = stderr.strip().splitlines()[-1] if stderr.strip() else ""
        print(f"  #{n:04d} {source} [{applied}] {step}: {outcome}: {last[:200]}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
