"""Finding and calling the `outagesim` binary."""

import glob
import os
import shutil
import subprocess


class OutagesimError(RuntimeError):
    """outagesim exited with an error: `exit_code` (2 for bad input, docs/exit-codes.md) and its `stderr`."""

    def __init__(self, command, exit_code, stderr):
        self.command = command
        self.exit_code = exit_code
        self.stderr = stderr
        super().__init__(f"{' '.join(command)} exited {exit_code}:\n{stderr.strip()}")


def find_binary(binary=None):
    """The outagesim binary: `binary`, else $OUTAGESIM_BINARY, else `outagesim` on PATH, else the
    repository's own build next to this package (build/<preset>/sim/cli/outagesim, newest first)."""
    for candidate in (binary, os.environ.get("OUTAGESIM_BINARY")):
        if candidate:
            return candidate
    on_path = shutil.which("outagesim")
    if on_path:
        return on_path
    repository = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    built = glob.glob(os.path.join(repository, "build", "*", "sim", "cli", "outagesim"))
    if built:
        return max(built, key=os.path.getmtime)
    raise FileNotFoundError("no outagesim binary: set OUTAGESIM_BINARY, put outagesim on PATH, or build the repository")


def call(arguments, binary=None, cwd=None):
    """Runs outagesim with `arguments`; returns its stdout, or raises OutagesimError."""
    command = [find_binary(binary)] + [str(a) for a in arguments]
    done = subprocess.run(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, check=False)
    if done.returncode != 0:
        raise OutagesimError(command, done.returncode, done.stderr)
    return done.stdout
