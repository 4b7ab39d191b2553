"""Write constraints.txt and versions.cfg from the packages of one resolved venv.

Run by ``make lock``; refuses to write a lock that pins a pre-release.
"""

import argparse
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRE_RELEASE = re.compile(r"(a|b|rc|\.dev)\d*$")
HEADER = """\
# Every package Ratusz installs, pinned from one resolution by `make lock`
# ({today}, Python {python}). Do not edit by hand: change lock-bounds.txt or
# setup.py and run `make lock`. No pre-releases (checked by scripts/lock.py).
"""


def frozen_pins(venv):
    """``[(name, version)]`` of every distribution in ``venv`` but the editable project."""
    output = subprocess.run(
        [str(Path(venv) / "bin" / "pip"), "freeze", "--all", "--exclude-editable"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    pins = []
    for line in output.splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==", 1)
            if name.lower() != "ratusz":
                pins.append((name, version.strip()))
    return sorted(pins, key=lambda pin: pin[0].lower())


def pre_releases(pins):
    return [f"{name}=={version}" for name, version in pins if PRE_RELEASE.search(version)]


def write_constraints(pins, python):
    header = HEADER.format(today=date.today().isoformat(), python=python)
    body = "".join(f"{name}=={version}\n" for name, version in pins)
    (ROOT / "constraints.txt").write_text(header + body, encoding="utf-8")


def write_versions_cfg(pins, python):
    header = HEADER.format(today=date.today().isoformat(), python=python).replace(
        "constraints.txt", "versions.cfg"
    )
    body = "".join(f"{name} = {version}\n" for name, version in pins)
    (ROOT / "versions.cfg").write_text(f"{header}[versions]\n{body}", encoding="utf-8")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--venv", required=True)
    args = parser.parse_args(argv)
    pins = frozen_pins(args.venv)
    bad = pre_releases(pins)
    if bad:
        print("Refusing to lock pre-releases: " + ", ".join(bad), file=sys.stderr)
        print(
            "Add an upper bound for each to lock-bounds.txt and run make lock again.",
            file=sys.stderr,
        )
        return 1
    python = subprocess.run(
        [
            str(Path(args.venv) / "bin" / "python"),
            "-c",
            "import platform; print(platform.python_version())",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    write_constraints(pins, python)
    write_versions_cfg(pins, python)
    print(f"Locked {len(pins)} packages into constraints.txt and versions.cfg.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
