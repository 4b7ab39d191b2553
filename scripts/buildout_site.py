"""Create the demo site from the buildout instance: ``bin/instance run scripts/buildout_site.py``.

``bin/instance run`` binds ``app`` (the Zope root) before running this file.
"""

import os

from AccessControl.SecurityManagement import newSecurityManager
from AccessControl.users import system
from Testing.makerequest import makerequest
from zope.globalrequest import setRequest

from ratusz.cli import ensure_site

app = makerequest(app)  # noqa: F821 - provided by `bin/instance run`
setRequest(app.REQUEST)
newSecurityManager(None, system)
site_id = os.environ.get("SITE_ID", "Plone")
created = ensure_site(app, site_id, demo=os.environ.get("DEMO", "1") == "1")
print(f"Site /{site_id} {'created' if created else 'already exists, kept'}.")
