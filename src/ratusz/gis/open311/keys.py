"""API keys of Open311: issued and revoked by site administrators, checked on every POST.

A key reads ``o311-<id>-<secret>``: the id (8 hex digits) finds its record, the
secret (32 random bytes, URL-safe) proves it. Only the SHA-256 of the whole
key is stored, so the key is shown once, when it is issued; a lost key is
revoked and a new one issued. A revoked key stays listed (who had it, when it
was revoked) and is refused.
"""

import hashlib
import hmac
import re
import secrets
from datetime import datetime
from datetime import timezone

from plone import api

from ratusz.gis.open311.store import open311_store
from ratusz.i18n import _
from ratusz.validators import InputError

KEY = re.compile(r"^o311-([0-9a-f]{8})-[A-Za-z0-9_-]{20,64}$")
# The issuing form's one-time value (``new_form_nonce``): a re-sent form issues nothing.
NONCE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
MAX_NAME = 100
MAX_OWNER = 200


class KeyRefused(InputError):
    """A key that cannot be issued: ``field`` is ``name`` or ``owner`` (or None)."""


class KeyAlreadyIssued(KeyRefused):
    """The form sent has already issued its key: a reloaded page re-sends the same form."""


def new_form_nonce():
    """A fresh one-time value for the issuing form; the key it issues remembers it.

    >>> len(new_form_nonce())
    22
    """
    return secrets.token_urlsafe(16)


def key_issued_with(nonce):
    """The record of the key the form ``nonce`` issued, or None.

    >>> key_issued_with("Zq3…")["name"]
    'Aplikacja Naprawmy.to'
    """
    store = open311_store()
    if store is None or not isinstance(nonce, str) or not nonce:
        return None
    for record in store["keys"].values():
        if record.get("nonce") == nonce:
            return record
    return None


def _digest(key):
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _now():
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def _plain(field, text, limit, required=False):
    text = " ".join((text if isinstance(text, str) else "").split())
    if required and not text:
        raise KeyRefused(field, _("Give the name of the application or organisation."))
    if len(text) > limit:
        raise KeyRefused(
            field, _("The text is longer than ${limit} characters.", mapping={"limit": limit})
        )
    if "<" in text or ">" in text:
        raise KeyRefused(field, _("The characters < and > are not allowed."))
    return text


def issue_key(name, owner="", issued_by=None, nonce=None):
    """Issue a new key for ``name`` (the application) held by ``owner`` (who to contact);
    return ``(key id, key)``. The key itself is not stored: show it once.

    ``nonce`` is the issuing form's one-time value: a form sent again (the page reloaded
    after a key was issued) raises KeyAlreadyIssued instead of issuing a second key.

    >>> key_id, key = issue_key("Aplikacja Naprawmy.to", "kontakt@naprawmy.to", "administrator")
    >>> key.startswith(f"o311-{key_id}-")
    True
    """
    if nonce is not None and not (isinstance(nonce, str) and NONCE.match(nonce)):
        raise KeyRefused(None, _("The form is out of date: nothing was issued. Fill it in again."))
    if nonce is not None and key_issued_with(nonce) is not None:
        raise KeyAlreadyIssued(
            None,
            _(
                "This form has already issued its key, shown once when it was issued: no "
                "second key was issued. To issue another key, fill in the form again."
            ),
        )
    name = _plain("name", name, MAX_NAME, required=True)
    owner = _plain("owner", owner, MAX_OWNER)
    keys = open311_store(create=True)["keys"]
    key_id = secrets.token_hex(4)
    while key_id in keys:
        key_id = secrets.token_hex(4)
    key = f"o311-{key_id}-{secrets.token_urlsafe(32)}"
    keys[key_id] = {
        "id": key_id,
        "name": name,
        "owner": owner,
        "hash": _digest(key),
        "issued": _now(),
        "issued_by": issued_by or "",
        "revoked": None,
        "revoked_by": None,
        "last_used": None,
        "uses": 0,
        "nonce": nonce,
    }
    return key_id, key


def revoke_key(key_id, revoked_by=None):
    """Revoke the key ``key_id``; True if it was active.

    >>> revoke_key("3fa85f64", "administrator")
    True
    """
    store = open311_store()
    record = store["keys"].get(key_id) if store is not None and isinstance(key_id, str) else None
    if record is None or record["revoked"]:
        return False
    store["keys"][key_id] = {**record, "revoked": _now(), "revoked_by": revoked_by or ""}
    return True


def listed_keys():
    """Every key ever issued, newest first, without their hashes.

    >>> [key["name"] for key in listed_keys()]
    ['Aplikacja Naprawmy.to']
    """
    store = open311_store()
    if store is None:
        return []
    records = [
        {name: value for name, value in record.items() if name not in ("hash", "nonce")}
        for record in store["keys"].values()
    ]
    return sorted(records, key=lambda record: record["issued"], reverse=True)


def active_key(key):
    """The record of ``key`` if it is an issued key not revoked, else None.

    >>> active_key("o311-3fa85f64-…")["name"]
    'Aplikacja Naprawmy.to'
    """
    match = KEY.match(key.strip()) if isinstance(key, str) else None
    store = open311_store() if match else None
    record = store["keys"].get(match.group(1)) if store is not None else None
    if record is None or not hmac.compare_digest(record["hash"], _digest(key.strip())):
        return None
    return None if record["revoked"] else record


def record_use(key_id):
    """Count one report filed with the key (the panel shows when a key was last used)."""
    store = open311_store()
    record = store["keys"].get(key_id) if store is not None else None
    if record is not None:
        store["keys"][key_id] = {**record, "last_used": _now(), "uses": record["uses"] + 1}


def current_user_id():
    """The id of who is issuing or revoking a key, kept beside it.

    >>> current_user_id()
    'administrator'
    """
    user = api.user.get_current()
    return user.getId() or user.getUserName() if user is not None else ""
