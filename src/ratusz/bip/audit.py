"""The BIP audit log (requirements B5): content changes and refused attempts.

Every entry goes to the ``ratusz.bip.audit`` logger, which the instance writes
to its event log. (A persistent log with a view for BIP administrators
extends this module.)
"""

import logging

from plone import api

logger = logging.getLogger("ratusz.bip.audit")


def _who():
    try:
        return api.user.get_current().getUserName()
    except Exception:  # no security context (scripts, jobs)
        return "system"


def log_change(obj, action, note=""):
    """Record that ``action`` (a transition id, "edit", …) happened to ``obj``."""
    logger.info("change %s %s by %s %s", action, obj.absolute_url_path(), _who(), note)


def log_refused(obj, action, reason=""):
    """Record a refused attempt: a publication without metadata, a forbidden edit, …"""
    logger.warning("refused %s %s by %s: %s", action, obj.absolute_url_path(), _who(), reason)
