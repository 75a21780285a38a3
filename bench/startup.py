#!/usr/bin/env python3
"""Where a small run's fixed cost goes (bench/README.md, "Start-up").

Measures the CPU time (user + system, from the kernel's accounting of the
children) of a command that loads nothing, of one that reads and checks a
scenario without simulating, of a small run, and of loading Debian's SimGrid
library alone with the ns-3 libraries it needs: the floor of every command
that simulates, whatever outagesim does.

Usage: bench/startup.py [path/to/outagesim] [repetitions]
"""
import ctypes.util
import os
import resource
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SMALL = os.path.join(HERE, "scenarios/examples/fault-crash.yaml")


def children_cpu_s():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def mean_cpu_ms(command, repetitions, env=None):
    """Mean CPU of one run of `command`; every run must exit 0."""
    before = children_cpu_s()
    for _ in range(repetitions):
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return 1000 * (children_cpu_s() - before) / repetitions


def shared_objects(command):
    """The shared objects the dynamic loader maps for `command`."""
    env = dict(os.environ, LD_DEBUG="files")
    log = subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, text=True).stderr
    return [line.split("file=")[1].split()[0] for line in log.splitlines() if "generating link map" in line]


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "build/release/sim/cli/outagesim")
    repetitions = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    simgrid = ctypes.util.find_library("simgrid")
    if simgrid is None:
        sys.exit("startup.py: libsimgrid is not installed (scripts/install-deps.sh)")
    with tempfile.TemporaryDirectory() as work:
        run = [binary, "run", SMALL, "--out", os.path.join(work, "run"), "--force", "--quiet"]
        python = [sys.executable, "-c", "import ctypes"]
        load = [sys.executable, "-c", f"import ctypes; ctypes.CDLL({simgrid!r})"]
        figures = [
            ("outagesim --version", mean_cpu_ms([binary, "--version"], repetitions)),
            ("outagesim validate --no-simulate examples/fault-crash.yaml",
             mean_cpu_ms([binary, "validate", "--no-simulate", SMALL], repetitions)),
            ("outagesim run examples/fault-crash.yaml", mean_cpu_ms(run, repetitions)),
        ]
        simgrid_load = mean_cpu_ms(load, repetitions) - mean_cpu_ms(python, repetitions)
        figures.append((f"loading {simgrid} alone (python with it, less without)", simgrid_load))
        loaded = shared_objects(run)
    with open("/proc/loadavg") as f:
        load_average = " ".join(f.read().split()[:3])
    print(f"load average {load_average}; {repetitions} runs each; mean CPU (user + sys) per run")
    for name, ms in figures:
        print(f"{name:<66} {ms:7.1f} ms")
    run_ms = figures[2][1]
    print(f"{'the run less that load':<66} {run_ms - simgrid_load:7.1f} ms "
          f"({100 * (run_ms - simgrid_load) / run_ms:.0f}% of the run)")
    print(f"shared objects the run maps: {len(loaded)}, of them ns-3: {sum('libns3' in name for name in loaded)}")


if __name__ == "__main__":
    main()
