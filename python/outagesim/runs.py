"""One run: `run()` simulates a scenario through the binary, `load_run()` reads a run directory
(docs/outputs.md) into pandas."""

import json
import os
from dataclasses import dataclass, field

import pandas as pd

from .binary import call


def utc_times(text):
    """ISO-8601 UTC strings ("2025-11-18T11:20:00.000Z") as timezone-aware UTC datetimes."""
    return pd.to_datetime(text, utc=True)


@dataclass
class Run:
    """A finished run directory, read."""

    dir: str
    summary: dict
    timeseries: pd.DataFrame  # t (s from start), time (UTC), scope, entity, metric, value: one row per sample and series
    events: pd.DataFrame  # one row per event, t and time (UTC) first, the other keys as columns (NaN where absent)
    attribution: pd.DataFrame  # attribution.csv as written
    manifest: dict = field(default_factory=dict)

    @property
    def metrics(self):
        """summary.json's "metrics"."""
        return self.summary["metrics"]

    @property
    def start(self):
        """The scenario's start, a UTC Timestamp."""
        return pd.Timestamp(self.summary["start"]).tz_convert("UTC")

    def series(self, metric, scope="global", entity=""):
        """One series as a pandas Series of values indexed by UTC time, e.g. series("availability")."""
        rows = self.timeseries[(self.timeseries.metric == metric) & (self.timeseries.scope == scope)
                               & (self.timeseries.entity == entity)]
        if rows.empty:
            raise KeyError(f"no series {scope}/{entity}/{metric} in {self.dir}")
        return rows.set_index("time")["value"].rename(f"{scope}/{entity}/{metric}" if entity else metric)


def read_timeseries(path):
    frame = pd.read_csv(path, dtype={"scope": str, "entity": str, "metric": str}, keep_default_na=False,
                        na_values={"value": [""], "t": [""]})
    frame.insert(1, "time", utc_times(frame.pop("time_utc")))
    return frame


def read_events(path):
    with open(path, encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    frame = pd.DataFrame.from_records(records)
    if frame.empty:
        return pd.DataFrame(columns=["t", "time", "kind", "entity", "cause"])
    frame.insert(1, "time", utc_times(frame.pop("time_utc")))
    return frame


def load_run(directory):
    """Reads a run directory written by `outagesim run` into a Run."""
    def path(name):
        return os.path.join(directory, name)

    with open(path("summary.json"), encoding="utf-8") as f:
        summary = json.load(f)
    manifest = {}
    if os.path.exists(path("manifest.json")):
        with open(path("manifest.json"), encoding="utf-8") as f:
            manifest = json.load(f)
    attribution = pd.read_csv(path("attribution.csv"), keep_default_na=False) if os.path.exists(
        path("attribution.csv")) else pd.DataFrame()
    return Run(dir=directory, summary=summary, timeseries=read_timeseries(path("timeseries.csv")),
               events=read_events(path("events.jsonl")), attribution=attribution, manifest=manifest)


def run(scenario, out=None, set=None, seed=None, binary=None, cwd=None):  # noqa: A002 - `set` as on the command line
    """Simulates `scenario` with `outagesim run` and returns the Run.

    out: the run directory (default: runs/<scenario>-<seed>, relative to `cwd`);
    set: overrides, {"faults[0].at": "+30m"} (each becomes --set PATH=VALUE, in order);
    seed: the seed, overriding scenario.seed.
    Raises OutagesimError (exit_code 2 and the diagnostics in stderr) on bad input."""
    arguments = ["run", scenario, "--json"]
    if out is not None:
        arguments += ["--out", out]
    if seed is not None:
        arguments += ["--seed", seed]
    for key, value in (set or {}).items():
        arguments += ["--set", f"{key}={value}"]
    printed = json.loads(call(arguments, binary=binary, cwd=cwd))
    directory = printed["run_directory"]
    if cwd is not None and not os.path.isabs(directory):
        directory = os.path.join(cwd, directory)
    return load_run(directory)
