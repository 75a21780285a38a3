#!/usr/bin/python3
"""report.html as a reader sees it: rendered by headless Chromium.

Runs the default scenario, screenshots its report.html and dumps the DOM
Chromium built from it, then checks that the charts are drawn, that every
number carrying a data-metric attribute equals the summary.json value it
names (to the rounding shown), and that nothing is fetched over the network.

Usage: report_in_browser.py OUTAGESIM_BINARY SOURCE_DIR
Exit codes: 0 pass, 1 fail, 77 skipped (no /usr/bin/chromium; `make test`
installs it through scripts/install-deps.sh).
"""

import json
import math
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
from html.parser import HTMLParser

CHROMIUM = "/usr/bin/chromium"
WIDTH = 1280
CHARTS = ("chart-global-availability", "chart-config-reach", "chart-service-availability")
HEADLINE = ("availability_min", "availability_mean", "failed_requests", "sites_affected", "impact_start", "impact_end")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
NUMBER = re.compile(r"[-+]?\d[\d,]*(?:\.(\d+))?(?:[eE]([-+]?\d+))?")

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
    return condition


def chromium(user_data_dir, *args):
    """Runs headless Chromium; returns its stdout. Its stderr (dbus noise) is ignored."""
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               f"--user-data-dir={user_data_dir}", f"--window-size={WIDTH},2000", *args]
    done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=60, check=False)
    return done.stdout.decode("utf-8", errors="replace")


class Dom(HTMLParser):
    """Collects the charts' polylines, the data-metric elements' text and every http(s) reference."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []          # [tag, svg id or None, data-metric or None, text parts]
        self.polylines = {}      # svg id -> list of points attributes
        self.metrics = []        # (data-metric, text)
        self.remote = []         # offending references
        self.in_style = False

    def _svg(self):
        for entry in reversed(self.stack):
            if entry[1] is not None:
                return entry[1]
        return None

    def _start(self, tag, attrs, closes):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if value and name != "xmlns" and not name.startswith("xmlns:") and re.search(r"https?://", value):
                self.remote.append(f"<{tag} {name}=\"{value}\">")
        if tag == "polyline" and self._svg() is not None:
            self.polylines.setdefault(self._svg(), []).append(attrs.get("points", ""))
        if tag == "svg":
            self.polylines.setdefault(attrs.get("id", ""), [])
        if closes or tag in VOID:
            return
        self.stack.append([tag, attrs.get("id", "") if tag == "svg" else None, attrs.get("data-metric"), []])
        self.in_style = tag == "style"

    def handle_starttag(self, tag, attrs):
        self._start(tag, attrs, False)

    def handle_startendtag(self, tag, attrs):
        self._start(tag, attrs, True)

    def handle_endtag(self, tag):
        while self.stack:
            entry = self.stack.pop()
            if entry[2] is not None:
                self.metrics.append((entry[2], "".join(entry[3]).strip()))
                if self.stack:
                    self.stack[-1][3].extend(entry[3])
            elif self.stack:
                self.stack[-1][3].extend(entry[3])
            if entry[0] == tag:
                break
        self.in_style = False

    def handle_data(self, data):
        if self.in_style and re.search(r"url\(\s*['\"]?https?:|@import", data):
            self.remote.append(f"style: {data.strip()[:80]}")
        if self.stack:
            self.stack[-1][3].append(data)


def summary_value(metrics, path):
    """The value a data-metric names: keys below "metrics" joined by '/', escaped as in a JSON Pointer."""
    node = metrics
    for key in path.split("/"):
        key = key.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or key not in node:
            raise KeyError(path)
        node = node[key]
    return node


DURATION_PART = re.compile(r"(\d+(?:\.(\d+))?)(ms|s|m|h|d)")
DURATION_UNIT = {"ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


def shown_duration(token):
    """"+10m10s", "2.869ms", "1d02h00m00.003s" (display_format.hpp) in seconds, and half a unit of the last digit."""
    sign = -1.0 if token.startswith("-") else 1.0
    parts = DURATION_PART.findall(token.lstrip("+-"))
    if not parts or "".join(p[0] + p[2] for p in parts) != token.lstrip("+-"):
        return None
    value = sum(float(number) * DURATION_UNIT[unit] for number, _, unit in parts)
    number, decimals, unit = parts[-1]
    return sign * value, 0.5 * 10.0 ** -len(decimals) * DURATION_UNIT[unit]


def shown_number(text):
    """The number a cell shows and half a unit of its last digit, in the unit of summary.json."""
    if text in ("none", "not reached"):
        return None, 0.0
    # Times: "11:20:10Z (+20m10s)", "2025-11-18T11:20:00Z (+1d00m00s)": the offset.
    offset = re.search(r"\(([+-][^)]*)\)", text)
    duration = shown_duration(offset.group(1) if offset else text.strip())
    if duration is not None:
        return duration
    if offset:
        raise ValueError(f"no duration in {text!r}")
    token = text
    match = NUMBER.search(token)
    if not match:
        raise ValueError(f"no number in {text!r}")
    decimals = len(match.group(1) or "")
    exponent = int(match.group(2) or 0)
    value = float(match.group(0).replace(",", ""))
    tolerance = 0.5 * 10.0 ** (exponent - decimals)
    if not offset and token[match.end():].lstrip().startswith("%"):
        value, tolerance = value / 100, tolerance / 100
    return value, tolerance


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    binary, source = sys.argv[1], sys.argv[2]
    if not os.path.exists(CHROMIUM):
        print(f"skipped: {CHROMIUM} is missing (scripts/install-deps.sh installs Debian's chromium)")
        return 77

    tmp = tempfile.mkdtemp(prefix="outagesim-browser-")
    try:
        run_dir = os.path.join(tmp, "run")
        scenario = os.path.join(source, "scenarios", "examples", "cdn-bad-push.yaml")
        run = subprocess.run([binary, "run", scenario, "--out", run_dir], cwd=tmp, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, timeout=300, check=False)
        if run.returncode != 0:
            print(f"FAIL: outagesim run exited {run.returncode}\n{run.stderr.decode()}")
            return 1
        report = os.path.join(run_dir, "report.html")
        with open(os.path.join(run_dir, "summary.json"), encoding="utf-8") as f:
            metrics = json.load(f)["metrics"]

        screenshot = os.path.join(tmp, "report.png")
        chromium(tempfile.mkdtemp(dir=tmp), f"--screenshot={screenshot}", "file://" + report)
        if check(os.path.exists(screenshot), "no screenshot written"):
            size = os.path.getsize(screenshot)
            check(size > 20_000, f"screenshot is only {size} bytes: is the page blank?")
            with open(screenshot, "rb") as f:
                header = f.read(24)
            check(header[:8] == b"\x89PNG\r\n\x1a\n", "screenshot is not a PNG")
            width, height = struct.unpack(">II", header[16:24])
            check(width == WIDTH, f"screenshot is {width} px wide, expected {WIDTH}")
            print(f"screenshot: {width}x{height}, {size} bytes")

        dom_text = chromium(tempfile.mkdtemp(dir=tmp), "--dump-dom", "file://" + report)
        check("<svg" in dom_text, "the dumped DOM holds no svg at all")
        dom = Dom()
        dom.feed(dom_text)
        dom.close()

        for chart in CHARTS:
            lines = dom.polylines.get(chart)
            if not check(lines is not None, f"chart #{chart} is missing"):
                continue
            drawn = [p for p in lines if len(re.findall(r"-?[\d.]+,-?[\d.]+", p)) >= 2]
            check(drawn, f"chart #{chart} has no polyline with points")
            print(f"chart {chart}: {len(drawn)} line(s)")

        shown = {}
        for path, text in dom.metrics:
            shown[path] = text
            try:
                expected = summary_value(metrics, path)
            except KeyError:
                check(False, f"data-metric {path!r} names no summary.json value")
                continue
            try:
                value, tolerance = shown_number(text)
            except ValueError as e:
                check(False, f"data-metric {path!r}: {e}")
                continue
            if expected is None or value is None:
                check(expected is None and value is None, f"{path}: shows {text!r}, summary.json has {expected!r}")
                continue
            ok = math.fabs(value - expected) <= tolerance + 1e-12 * math.fabs(expected)
            check(ok, f"{path}: shows {text!r} = {value} (+-{tolerance}), summary.json has {expected}")
            if " of " in text:
                check(text.split(" of ")[1].strip() == str(metrics["sites"]),
                      f"{path}: shows {text!r}, summary.json has {metrics['sites']} sites")
        for key in HEADLINE:
            check(key in shown, f"headline metric {key} is not shown with a data-metric")
        for fault in metrics["faults"]:
            for key in ("sites_affected", "failed_requests"):
                path = f"faults/{fault}/{key}"
                check(path in shown, f"attribution: {path} is not shown with a data-metric")
        print(f"numbers: {len(dom.metrics)} data-metric elements checked against summary.json")

        check(not dom.remote, "the page references the network: " + "; ".join(dom.remote))
    except subprocess.TimeoutExpired as e:
        failures.append(f"timed out: {' '.join(e.cmd[:2])} ... after {e.timeout} s")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    for f in failures:
        print("FAIL: " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
