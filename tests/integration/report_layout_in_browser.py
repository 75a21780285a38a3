#!/usr/bin/python3
"""report.html's charts laid out by headless Chromium: no two text boxes of a chart overlap (title,
legend, ticks, axis labels, marker labels) and every legend entry lies inside its chart, so that
every series can be told apart however many there are.

Runs the 2025-11-18 replay (many services, faults and operator actions) and the retry-storm
example (queue charts), adds to a copy of each report.html a script that measures every <text> of every chart as Chromium lays it out, and reads
the measurements back from the dumped DOM.

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
SCENARIOS = ["incidents/cloudflare-2025-11-18.yaml", "examples/metastable-retry-storm.yaml"]

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
  }
  found.push(`measured ${svg.id}: ${texts.length} texts, ${svg.querySelectorAll('text.legend').length} legend entries`);
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
        return 1 if failed else 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def laid_out_cleanly(binary, scenario, tmp):
    """Runs `scenario`, lays its report out in Chromium, prints what overlaps; True when nothing does."""
    print(os.path.basename(scenario))
    run_dir = os.path.join(tmp, os.path.basename(scenario))
    subprocess.run([binary, "run", scenario, "--out", run_dir], check=True, timeout=300, stdout=subprocess.DEVNULL)
    with open(os.path.join(run_dir, "report.html"), encoding="utf-8") as f:
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
    if len(measured_charts) < 3:
        print("FAIL: fewer than three charts measured")
        return False
    return not problems


if __name__ == "__main__":
    sys.exit(main())
