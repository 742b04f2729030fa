"""System tests: the built `sextant` binary (SEXTANT_BIN, default .build/debug/sextant) under
conditions a unit test cannot make, such as a filesystem that runs out of space."""
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "support"))
from sextant_process import SextantServer, binary  # noqa: E402,F401 (binary is a fixture)


def Server(binary, data_dir, config, work):
    """A server on `data_dir`, its configuration and log under `work`."""
    return SextantServer(binary, config, data_dir=data_dir, work=work)
