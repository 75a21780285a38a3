"""The Python package against the real binary: runs, overrides, errors, and the run and sweep
directories read into pandas. Run by ctest (Python.Package) with OUTAGESIM_BINARY and
OUTAGESIM_SOURCE_DIR set; or by hand: PYTHONPATH=python python3 -m unittest discover python/tests"""

import json
import os
import shutil
import subprocess
import tempfile
import unittest

import pandas as pd

import outagesim

SOURCE = os.environ.get("OUTAGESIM_SOURCE_DIR",
                        os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
EXAMPLE = os.path.join(SOURCE, "scenarios", "examples", "cdn-bad-push.yaml")


class RunTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="outagesim-python-")
        cls.base = outagesim.run(EXAMPLE, out=os.path.join(cls.tmp, "base"))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_summary_is_summary_json(self):
        with open(os.path.join(self.base.dir, "summary.json"), encoding="utf-8") as f:
            self.assertEqual(self.base.summary, json.load(f))
        self.assertEqual(self.base.metrics["sites"], 7)

    def test_timeseries_is_tidy_with_utc_times(self):
        ts = self.base.timeseries
        self.assertEqual(list(ts.columns), ["t", "time", "scope", "entity", "metric", "value"])
        self.assertEqual(str(ts["time"].dt.tz), "UTC")
        # time is the start plus t, for every row
        offsets = (ts["time"] - self.base.start).dt.total_seconds()
        self.assertTrue(((offsets - ts["t"]).abs() < 1e-3).all())
        availability = self.base.series("availability")
        self.assertAlmostEqual(availability.min(), self.base.metrics["availability_min"])
        self.assertTrue(availability.index.is_monotonic_increasing)

    def test_events_have_times_and_kinds(self):
        events = self.base.events
        self.assertIn("kind", events.columns)
        self.assertEqual(str(events["time"].dt.tz), "UTC")
        injected = events[events.kind == "fault_injected"]
        self.assertEqual(len(injected), 1)
        fault = injected.iloc[0]
        self.assertEqual(fault["t"], self.base.metrics["faults"][fault["entity"]]["injected_at"])

    def test_attribution_sums_to_the_fault(self):
        self.assertFalse(self.base.attribution.empty)

    def test_overrides_change_the_run(self):
        later = outagesim.run(EXAMPLE, out=os.path.join(self.tmp, "later"), set={"faults[0].at": "+30m"}, seed=3)
        self.assertEqual(later.summary["seed"], 3)
        fault = next(iter(later.metrics["faults"].values()))
        self.assertEqual(fault["injected_at"], 1800)

    def test_bad_input_raises_with_the_diagnostic(self):
        with self.assertRaises(outagesim.OutagesimError) as caught:
            outagesim.run(EXAMPLE, out=os.path.join(self.tmp, "bad"), set={"faults[0].at": "14:30"})
        self.assertEqual(caught.exception.exit_code, 2)
        self.assertIn("'14:30' is ambiguous", caught.exception.stderr)


def write_sweep(directory):
    """A sweep directory as `outagesim sweep` writes it (docs/experiments.md), two points of two seeds."""
    os.makedirs(directory)
    with open(os.path.join(directory, "results.csv"), "w", encoding="utf-8") as f:
        f.write("id,point,replication,seed,faults[0].at,status,availability_min,failed_requests\n"
                "0,0,0,11,+10m,ok,0.5,1000\n1,0,1,12,+10m,ok,0.7,800\n"
                "2,1,0,13,+20m,ok,0.6,900\n3,1,1,14,+20m,timeout,,\n")
    with open(os.path.join(directory, "summary.csv"), "w", encoding="utf-8") as f:
        f.write("point,faults[0].at,metric,n,mean,sd,ci95_low,ci95_high,q05,q50,q95\n"
                "0,+10m,availability_min,2,0.6,0.14,0.4,0.8,0.51,0.6,0.69\n")
    with open(os.path.join(directory, "sensitivity.csv"), "w", encoding="utf-8") as f:
        f.write("parameter,metric,method,value,mu,sigma,n\n")
    with open(os.path.join(directory, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump({"sweep": "t", "parameters": ["faults[0].at"], "metrics": ["availability_min", "failed_requests"]}, f)


class SweepTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="outagesim-python-sweep-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_load_sweep_reads_by_header_names(self):
        directory = os.path.join(self.tmp, "sweep")
        write_sweep(directory)
        s = outagesim.load_sweep(directory)
        self.assertEqual(s.parameters, ["faults[0].at"])
        self.assertEqual(s.metrics, ["availability_min", "failed_requests"])
        self.assertEqual(len(s.results), 4)
        self.assertTrue(pd.isna(s.results.loc[3, "availability_min"]))  # the run that timed out
        tidy = s.tidy()
        self.assertEqual(len(tidy), 8)
        self.assertEqual(sorted(tidy.metric.unique()), ["availability_min", "failed_requests"])
        self.assertAlmostEqual(tidy[(tidy.point == 0) & (tidy.metric == "availability_min")].value.mean(), 0.6)
        self.assertEqual(s.summary.loc[0, "mean"], 0.6)
        self.assertTrue(s.sensitivity.empty)

    def test_load_sweep_without_manifest_splits_at_seed_and_status(self):
        directory = os.path.join(self.tmp, "bare")
        write_sweep(directory)
        os.remove(os.path.join(directory, "manifest.json"))
        s = outagesim.load_sweep(directory)
        self.assertEqual(s.parameters, ["faults[0].at"])
        self.assertEqual(s.metrics, ["availability_min", "failed_requests"])

    def test_a_real_sweep_when_the_binary_has_one(self):
        binary = outagesim.find_binary()
        has_sweep = subprocess.run([binary, "sweep", "--help"], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, check=False).returncode == 0
        spec = os.path.join(SOURCE, "scenarios", "sweeps", "cloudflare-2025-12-05-seeds.yaml")
        if not has_sweep or not os.path.exists(spec):
            self.skipTest("this outagesim has no sweep command yet")
        s = outagesim.sweep(spec, out=os.path.join(self.tmp, "real"), jobs=2)
        self.assertEqual(len(s.results), s.manifest["runs"])
        self.assertEqual(s.parameters, s.manifest["parameters"])


if __name__ == "__main__":
    unittest.main()
