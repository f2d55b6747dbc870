"""The lock file (hashes of every package, for installs and advisory checks) agrees with the
pins in pyproject.toml: regenerate it with the command at its top when a pin changes."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_pin_is_in_the_lock_file_at_the_same_version():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    wanted = {_normal(p.split("==")[0].split("[")[0]): p.split("==")[1] for p in pins}
    lock = (ROOT / "requirements.lock").read_text()
    locked = {_normal(m[0]): m[1] for m in re.findall(r"^([A-Za-z0-9_.\-]+)==(\S+) \\", lock, re.M)}
    assert {name: locked.get(name) for name in wanted} == wanted
    assert all("--hash=sha256:" in block for block in lock.split("==")[1:])
