"""Write the demo city's JRWA (src/ratusz/cases/data/jrwa-demo.csv) from the pre-2011 list.

The municipal list in force before 2011 (tests/cases/data/jrwa-gmina-pre2011.csv,
1,594 rows) is realistic but has defects the importer refuses: duplicate
symbols, a class without a title, classes whose parent is missing, final
classes without a category. This keeps every row the importer accepts,
dropping the refused rows and then the rows left without a parent, until the
whole file imports::

    .venv/bin/python scripts/make_demo_jrwa.py

It is demonstration data, not the current law: an office imports its own list.
"""

import csv
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from ratusz.cases.jrwa import HEADER  # noqa: E402
from ratusz.cases.jrwa import JrwaImportError  # noqa: E402
from ratusz.cases.jrwa import parse_jrwa  # noqa: E402

SOURCE = ROOT / "tests" / "cases" / "data" / "jrwa-gmina-pre2011.csv"
TARGET = ROOT / "src" / "ratusz" / "cases" / "data" / "jrwa-demo.csv"


def as_csv(rows):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue()


def main():
    rows = list(csv.reader(io.StringIO(SOURCE.read_text(encoding="utf-8")), delimiter=";"))[1:]
    dropped = 0
    while True:
        try:
            classes = parse_jrwa(as_csv(rows))
            break
        except JrwaImportError as error:
            bad_lines = {problem.line for problem in error.problems}
            dropped += len(bad_lines)
            rows = [row for line, row in enumerate(rows, start=2) if line not in bad_lines]
    TARGET.write_text(as_csv(rows), encoding="utf-8")
    print(f"{TARGET.relative_to(ROOT)}: {len(classes)} classes ({dropped} rows dropped)")


if __name__ == "__main__":
    main()
