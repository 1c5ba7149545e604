"""The wheel, built once, and a fresh venv with only the wheel (plus flask-sqlalchemy for the
host shop) installed: what an integrator gets from `pip install clientela-*.whl`."""

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
    )
    return next(out.glob("clientela-*.whl"))


class WheelVenv:
    """A venv holding the installed wheel; dependencies come from the test environment
    (PYTHONPATH, whose .pth files, e.g. the checkout's editable install, are not read)."""

    def __init__(self, path: Path):
        self.path = path
        self.python = str(path / "bin" / "python")
        self.env = {**os.environ, "PYTHONPATH": sysconfig.get_paths()["purelib"]}

    def run(self, *args: str, cwd: Path, env: dict | None = None, check: bool = False):
        result = subprocess.run(
            [self.python, *args],
            cwd=cwd,
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
        )
        if check:
            assert result.returncode == 0, result.stdout + result.stderr
        return result


@pytest.fixture(scope="session")
def wheel_venv(wheel, tmp_path_factory) -> WheelVenv:
    path = tmp_path_factory.mktemp("wheel-venv") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(path)], check=True)
    pip = str(path / "bin" / "pip")
    subprocess.run([pip, "install", "-q", "--no-deps", str(wheel)], check=True)
    # The host shop's own library, from the registry (flask and SQLAlchemy come with the
    # test environment).
    subprocess.run([pip, "install", "-q", "--no-deps", "flask-sqlalchemy>=3.1"], check=True)
    return WheelVenv(path)
