"""Compile every .po under src/ratusz/locales into its .mo (before building the wheel).

A site running from a wheel installed by root may not be able to write into
site-packages, where zope.i18n would otherwise compile the catalogues at
start-up; so the wheel carries them compiled. The .mo files are not committed.
"""

import sys
from pathlib import Path

from zope.i18n.compile import compile_mo_file

LOCALES = Path(__file__).resolve().parents[1] / "src" / "ratusz" / "locales"


def main():
    compiled = 0
    for po_file in sorted(LOCALES.glob("*/LC_MESSAGES/*.po")):
        compile_mo_file(po_file.stem, str(po_file.parent))
        if not po_file.with_suffix(".mo").exists():
            print(f"FAIL: {po_file} did not compile", file=sys.stderr)
            return 1
        compiled += 1
    print(f"Compiled {compiled} catalogues.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
