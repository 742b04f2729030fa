"""System tests: the built `sextant` binary (SEXTANT_BIN, default .build/debug/sextant) under
conditions a unit test cannot make, such as a filesystem that runs out of space."""
import os
import pathlib
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "support"))
from sextant_process import SextantServer, binary_path  # noqa: E402


def Server(binary, data_dir, config, work):
    """A server on `data_dir`, its configuration and log under `work`."""
    return SextantServer(binary, config, data_dir=data_dir, work=work)


@pytest.fixture(scope="session")
def binary():
    path = binary_path()
    if not os.access(path, os.X_OK):
        pytest.exit(f"no sextant executable at {path}: build it first (swift build)", returncode=2)
    return path
