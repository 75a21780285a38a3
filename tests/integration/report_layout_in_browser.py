#!/usr/bin/python3
"""report.html's and compare.html's charts laid out by headless Chromium: no two text boxes of a chart
overlap (title, legend, ticks, axis labels, marker labels), every legend entry and every marker label
lies inside its chart, and every marker has its label on the chart (not only on hover), so that every
series and every event can be told apart however many there are.

Runs the 2025-11-18 replay (many services, faults and operator actions) with its published curves drawn
over it (`--observed`: every tolerance box laid out inside its chart), the retry-storm example
(queue charts) and the DNS failover example (a failover marker), and compares two runs of the CDN
example (both runs' markers); adds to a copy of each page a script that measures every <text> of
every chart as Chromium lays it out, and reads the measurements back from the dumped DOM.

Usage: report_layout_in_browser.py OUTAGESIM_BINARY SOURCE_DIR
Exit codes: 0 pass, 1 fail, 77 skipped (no /usr/bin/chromium).
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

CHROMIUM = "/usr/bin/chromium"
# Many services, faults and actions; and a retry storm, with the queue charts.
# Published curves drawn over a run (docs/published-series.md), by scenario.
OBSERVED = {"cloudflare-2025-11-18.yaml": "tests/validation/observations/cloudflare-2025-11-18.series.yaml"}
SCENARIOS = ["incidents/cloudflare-2025-11-18.yaml", "examples/metastable-retry-storm.yaml",
             "examples/dns-failover.yaml"]
# Charts each page must have, among those measured: the small multiples of the most affected sites
# and regions, each queue's own charts, the compared runs' difference.
EXPECTED = {
    "cloudflare-2025-11-18.yaml": ["chart-global-availability", "chart-site-1", "chart-region-1",
                                   "chart-observed-http-5xx-share", "chart-observed-internal-api-availability"],
    "metastable-retry-storm.yaml": ["chart-queue-load", "chart-queue-wait"],
    "dns-failover.yaml": ["chart-global-availability", "chart-site-1"],
    "compare": ["chart-compare-availability", "chart-compare-availability-difference", "chart-compare-config-reach"],
}

MEASURE = """
<script>
const found = [];
for (const svg of document.querySelectorAll('svg.chart')) {
  const chart = svg.getBoundingClientRect();
  const texts = [...svg.querySelectorAll('text')].map(t => ({text: t.textContent, cls: t.getAttribute('class'),
                                                             box: t.getBoundingClientRect()}));
  const overlap = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 &&
                            Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
  for (let i = 0; i < texts.length; ++i) {
    for (let j = i + 1; j < texts.length; ++j)
      if (overlap(texts[i].box, texts[j].box))
        found.push(`${svg.id}: '${texts[i].text}' (${texts[i].cls}) overlaps '${texts[j].text}' (${texts[j].cls})`);
    const b = texts[i].box;
    if (texts[i].cls === 'legend' && (b.left < chart.left - 1 || b.right > chart.right + 1 || b.top < chart.top - 1))
      found.push(`${svg.id}: legend '${texts[i].text}' is outside the chart`);
    if ((texts[i].cls || '').startsWith('marker-label') &&
        (b.left < chart.left - 1 || b.right > chart.right + 1 || b.top < chart.top - 1))
      found.push(`${svg.id}: marker label '${texts[i].text}' is outside the chart`);
  }
  // Published points: every tolerance box drawn with a size, inside the chart.
  const boxes = [...svg.querySelectorAll('rect.observed-band')].map(r => r.getBoundingClientRect());
  for (const b of boxes)
    if (b.width <= 0 || b.height <= 0 || b.left < chart.left - 1 || b.right > chart.right + 1 ||
        b.top < chart.top - 1 || b.bottom > chart.bottom + 1)
      found.push(`${svg.id}: a published point's box is empty or outside the chart`);
  const marked = svg.querySelectorAll('g.marked').length;
  const labelled = svg.querySelectorAll('g.marked text.marker-label').length;
  if (marked !== labelled) found.push(`${svg.id}: ${marked - labelled} of ${marked} markers have no label on the chart`);
  found.push(`measured ${svg.id}: ${texts.length} texts, ${svg.querySelectorAll('text.legend').length} legend entries, ` +
             `${marked} markers, ${boxes.length} observed boxes`);
}
const out = document.createElement('pre');
out.id = 'layout-result';
out.textContent = JSON.stringify(found);
document.body.appendChild(out);
</script>
"""


def main():
    binary, source = sys.argv[1], sys.argv[2]
    if not os.path.exists(CHROMIUM):
        print(f"skipped: {CHROMIUM} is missing")
        return 77
    tmp = tempfile.mkdtemp(prefix="outagesim-layout-")
    try:
        failed = False
        for scenario in SCENARIOS:
            failed |= not laid_out_cleanly(binary, os.path.join(source, "scenarios", scenario), tmp)
        failed |= not compare_laid_out_cleanly(binary, os.path.join(source, "scenarios", "examples", "cdn-bad-push.yaml"),
                                               tmp)
        return 1 if failed else 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def laid_out_cleanly(binary, scenario, tmp):
    """Runs `scenario`, lays its report out in Chromium, prints what overlaps; True when nothing does."""
    print(os.path.basename(scenario))
    run_dir = os.path.join(tmp, os.path.basename(scenario))
    command = [binary, "run", scenario, "--out", run_dir]
    source = os.path.dirname(os.path.dirname(os.path.dirname(scenario)))
    if os.path.basename(scenario) in OBSERVED:
        command += ["--observed", os.path.join(source, OBSERVED[os.path.basename(scenario)])]
    subprocess.run(command, check=True, timeout=300, stdout=subprocess.DEVNULL)
    return page_laid_out_cleanly(os.path.join(run_dir, "report.html"), run_dir, minimum_charts=3,
                                 expected=EXPECTED[os.path.basename(scenario)])


def compare_laid_out_cleanly(binary, scenario, tmp):
    """Compares two runs of `scenario` (the fault moved in B) and lays compare.html out."""
    print("compare " + os.path.basename(scenario))
    a, b, out = (os.path.join(tmp, "compare-" + name) for name in ("a", "b", "out"))
    subprocess.run([binary, "run", scenario, "--out", a, "-q"], check=True, timeout=300)
    subprocess.run([binary, "run", scenario, "--out", b, "-q", "--set", "faults[0].at=+35m"], check=True, timeout=300)
    subprocess.run([binary, "compare", a, b, "--out", out, "-q"], check=True, timeout=300)
    return page_laid_out_cleanly(os.path.join(out, "compare.html"), out, minimum_charts=3, expected=EXPECTED["compare"])


def page_laid_out_cleanly(page_path, work_dir, minimum_charts, expected):
    """Lays the page out in Chromium, prints what overlaps; True when nothing does."""
    run_dir = work_dir
    with open(page_path, encoding="utf-8") as f:
        page = f.read()
    measured = os.path.join(run_dir, "measured.html")
    with open(measured, "w", encoding="utf-8") as f:
        f.write(page.replace("</body>", MEASURE + "</body>"))
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               f"--user-data-dir={os.path.join(run_dir, 'profile')}", "--window-size=1280,2000",
               "--virtual-time-budget=5000", "--dump-dom", "file://" + measured]
    dom = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=120,
                         check=False).stdout.decode("utf-8", errors="replace")
    match = re.search(r'<pre id="layout-result">(.*?)</pre>', dom, re.S)
    if not match:
        print("FAIL: the measuring script left no result")
        return False
    found = json.loads(match.group(1).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
                       .replace("&quot;", '"').replace("&#39;", "'"))
    measured_charts = [f for f in found if f.startswith("measured ")]
    problems = [f for f in found if not f.startswith("measured ")]
    for line in measured_charts:
        print(line)
    for line in problems:
        print("FAIL:", line)
    ids = {line.split(":")[0].split(" ", 1)[1] for line in measured_charts}
    missing = [chart for chart in expected if chart not in ids]
    for chart in missing:
        print(f"FAIL: {chart} is not on the page")
    # The published curves appear: each overlay chart has its boxes laid out.
    for line in measured_charts:
        chart = line.split(":")[0].split(" ", 1)[1]
        boxes = int(re.search(r"(\d+) observed boxes", line).group(1))
        if chart.startswith("chart-observed-") and boxes == 0:
            print(f"FAIL: {chart} shows no published point")
            missing.append(chart)
    if missing:
        return False
    if len(measured_charts) < minimum_charts:
        print(f"FAIL: fewer than {minimum_charts} charts measured")
        return False
    return not problems


if __name__ == "__main__":
    sys.exit(main())
