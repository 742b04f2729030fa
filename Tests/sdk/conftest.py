"""Published SDKs, installed unmodified from PyPI into a venv, drive the built binary
(SEXTANT_BIN, default .build/debug/sextant); the tests assert what was stored through
Sextant's own read APIs. Each SDK runs in a subprocess of its venv, so the suite itself needs
only pytest and requests."""
import os
import pathlib
import subprocess
import sys
import textwrap


sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "support"))
from sextant_process import ROOT, SextantServer, binary  # noqa: E402,F401 (binary is a fixture)

PASSWORD = "sdk-pw"
VENV_ROOT = pathlib.Path(os.environ.get("SEXTANT_SDK_VENVS", ROOT / ".build" / "sdk-venvs"))


def venv_python(name, packages):
    """A venv with exactly `packages` (pinned), made once and kept under .build."""
    directory = VENV_ROOT / name
    python = directory / "bin" / "python"
    marker = directory / "installed.txt"
    wanted = "\n".join(packages)
    if not (python.exists() and marker.exists() and marker.read_text() == wanted):
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(directory)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *packages], check=True, timeout=600)
        marker.write_text(wanted)
    return str(python)


def Server(binary, config):
    """A server behind the dashboard password, on a data directory of its own."""
    return SextantServer(binary, config, password=PASSWORD)


def run_script(python, source, env=None, timeout=120):
    """Runs `source` with the venv's interpreter; fails the test with its output if it fails."""
    done = subprocess.run([python, "-c", textwrap.dedent(source)], capture_output=True, text=True, timeout=timeout,
                          env=dict(os.environ, **(env or {})))
    assert done.returncode == 0, f"SDK script failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout
