"""Run the daily jobs from a buildout instance: ``bin/instance run scripts/run_jobs.py``.

``bin/instance run`` binds ``app`` (the Zope root) before running this file.
SITE_ID chooses the site (Plone). Exit code 0 done, 1 failed (see docs/bip-jobs.md).
"""

import os
import sys

from Testing.makerequest import makerequest

from ratusz.jobs import JobFailed
from ratusz.jobs import report_lines
from ratusz.jobs import run_jobs_in

site_id = os.environ.get("SITE_ID", "Plone")
try:
    reports = run_jobs_in(makerequest(app), site_id)  # noqa: F821 - provided by `bin/instance run`
except JobFailed as error:
    print(f"run_jobs: {error}", file=sys.stderr)
    sys.exit(1)
for line in report_lines(reports):
    print(line)
