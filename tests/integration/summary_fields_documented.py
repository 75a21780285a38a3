#!/usr/bin/env python3
"""Every summary.json field is documented in docs/outputs.md, and every field documented there is in
summary.json: runs scenarios that between them have every kind of field (faults, channels, an
interrupted-run-only field aside) and compares their keys with the first column of the table under
"## summary.json".

Usage: summary_fields_documented.py OUTAGESIM_BINARY SOURCE_DIR
"""

import json
import os
import re
import subprocess
import sys
import tempfile

SCENARIOS = ["cdn-bad-push", "operator-detection", "fault-crash"]


def documented_fields(outputs_md):
    """The keys of the summary.json table: `metrics.faults.<id>.detected_at`; a cell of several
    (`reach_t50`, `reach_t95`) shares the prefix of its first."""
    with open(outputs_md, encoding="utf-8") as f:
        text = f.read()
    section = text.split("\n## summary.json\n", 1)[1]
    section = re.split(r"\n##+ ", section, maxsplit=1)[0]
    fields = set()
    for line in section.splitlines():
        if not line.startswith("| `"):
            continue
        cell = line.split("|")[1]
        names = re.findall(r"`([^`]+)`", cell)
        prefix = names[0].rsplit(".", 1)[0] + "." if "." in names[0] else ""
        for i, name in enumerate(names):
            fields.add(name if i == 0 or "." in name else prefix + name)
    return fields


def summary_fields(summary):
    """Every leaf key path of summary.json, with fault, channel and safeguard ids replaced by <id>."""
    fields = set()

    def walk(node, path):
        if isinstance(node, dict) and path in ("metrics.faults", "metrics.channels", "metrics.safeguards"):
            for value in node.values():
                walk(value, path + ".<id>")
        elif isinstance(node, dict):
            for key, value in node.items():
                walk(value, f"{path}.{key}" if path else key)
        else:
            fields.add(path)

    walk(summary, "")
    return fields


def main():
    binary, source = sys.argv[1], sys.argv[2]
    documented = documented_fields(os.path.join(source, "docs", "outputs.md"))
    present = set()
    with tempfile.TemporaryDirectory(prefix="outagesim-fields-") as tmp:
        for name in SCENARIOS:
            out = os.path.join(tmp, name)
            scenario = os.path.join(source, "scenarios", "examples", name + ".yaml")
            subprocess.run([binary, "run", scenario, "--out", out, "--quiet"], check=True)
            with open(os.path.join(out, "summary.json"), encoding="utf-8") as f:
                present |= summary_fields(json.load(f))
    failures = [f"summary.json has `{f}`, docs/outputs.md does not document it" for f in sorted(present - documented)]
    failures += [f"docs/outputs.md documents `{f}`, no summary.json has it" for f in sorted(documented - present)]
    for failure in failures:
        print("FAIL:", failure)
    print(f"{len(present)} summary.json fields, {len(documented)} documented")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
