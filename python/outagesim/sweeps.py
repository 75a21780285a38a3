"""A sweep: `sweep()` runs a sweep spec through `outagesim sweep`, `load_sweep()` reads a sweep
directory (docs/experiments.md) into pandas. Tables are read by their header names, so columns
added later are kept rather than refused."""

import json
import os
from dataclasses import dataclass, field

import pandas as pd

from .binary import call

# results.csv's own columns; the parameters come between `seed` and `status`, the metrics after.
RUN_COLUMNS = ("id", "run_id", "point", "replication", "seed", "status")


@dataclass
class Sweep:
    """A sweep directory, read."""

    dir: str
    results: pd.DataFrame  # one row per run: id, point, replication, seed, parameters, status, metrics
    summary: pd.DataFrame = field(default_factory=pd.DataFrame)  # per point and metric: n, mean, sd, ci95, quantiles
    sensitivity: pd.DataFrame = field(default_factory=pd.DataFrame)
    timings: pd.DataFrame = field(default_factory=pd.DataFrame)
    failures: pd.DataFrame = field(default_factory=pd.DataFrame)
    manifest: dict = field(default_factory=dict)
    parameters: list = field(default_factory=list)  # parameter paths, as in results.csv's header
    metrics: list = field(default_factory=list)  # metric names, as in results.csv's header

    def tidy(self):
        """results in long form: one row per run and metric (id, point, replication, seed, the
        parameters, status, metric, value)."""
        keep = [c for c in self.results.columns if c not in self.metrics]
        return self.results.melt(id_vars=keep, value_vars=self.metrics, var_name="metric", value_name="value")


def split_columns(columns, manifest):
    """(parameters, metrics) of results.csv: from the manifest when it names them, else by position."""
    columns = list(columns)
    named_parameters = [p for p in manifest.get("parameters", []) if p in columns]
    named_metrics = [m for m in manifest.get("metrics", []) if m in columns]
    if named_parameters or named_metrics:
        return named_parameters, named_metrics
    status = columns.index("status") if "status" in columns else len(columns)
    seed = columns.index("seed") if "seed" in columns else -1
    parameters = [c for c in columns[seed + 1:status] if c not in RUN_COLUMNS]
    metrics = [c for c in columns[status + 1:] if c not in RUN_COLUMNS]
    return parameters, metrics


def read_table(path):
    return pd.read_csv(path, keep_default_na=True) if os.path.exists(path) else pd.DataFrame()


def load_sweep(directory):
    """Reads a sweep directory written by `outagesim sweep` (or `sweep-merge`) into a Sweep."""
    def path(name):
        return os.path.join(directory, name)

    manifest = {}
    if os.path.exists(path("manifest.json")):
        with open(path("manifest.json"), encoding="utf-8") as f:
            manifest = json.load(f)
    results = pd.read_csv(path("results.csv"), dtype={"status": str})
    if "run_id" in results.columns and "id" not in results.columns:
        results = results.rename(columns={"run_id": "id"})
    parameters, metrics = split_columns(results.columns, manifest)
    for metric in metrics:  # empty for failed runs: NaN, and numbers for the rest
        results[metric] = pd.to_numeric(results[metric], errors="coerce")
    return Sweep(dir=directory, results=results, summary=read_table(path("summary.csv")),
                 sensitivity=read_table(path("sensitivity.csv")), timings=read_table(path("timings.csv")),
                 failures=read_table(path("failures.csv")), manifest=manifest, parameters=parameters, metrics=metrics)


def sweep(spec, out, jobs=None, binary=None, cwd=None, extra=()):
    """Runs the sweep spec with `outagesim sweep SPEC --out OUT [--jobs N]` and returns the Sweep.
    A sweep directory that exists is resumed, as the command does. `extra`: more arguments."""
    arguments = ["sweep", spec, "--out", out]
    if jobs is not None:
        arguments += ["--jobs", jobs]
    arguments += list(extra)
    call(arguments, binary=binary, cwd=cwd)
    return load_sweep(out if cwd is None or os.path.isabs(out) else os.path.join(cwd, out))
