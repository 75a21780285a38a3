"""Run outagesim scenarios and sweeps, and load their outputs into pandas.

    import outagesim
    run = outagesim.run("scenarios/examples/cdn-bad-push.yaml", out="runs/a", set={"faults[0].at": "+30m"})
    run.summary["metrics"]["availability_min"]
    run.timeseries.query("scope == 'global' and metric == 'availability'")

The binary is the boundary: one simulation per process, as the engine needs
(docs/python.md).
"""

from .binary import OutagesimError, find_binary
from .runs import Run, load_run, run
from .sweeps import Sweep, load_sweep, sweep

__all__ = ["OutagesimError", "Run", "Sweep", "find_binary", "load_run", "load_sweep", "run", "sweep"]
__version__ = "0.1.0"
