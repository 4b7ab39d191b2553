"""Tokens of Open311: the reporter's tracking token, handed to the client that filed the report.

``GET tokens/{token}`` must find a report by its token alone, while a report
keeps only a salted hash of it. The reports filed through Open311 are
therefore listed under a hint of their token (six hex digits of its SHA-256):
the hint narrows the search to the few reports sharing it, and each is then
checked against its own salted hash, as the tracking page does. Tokens of
reports filed through the site's form are not listed: their holders follow
them on the site. Wrong guesses are throttled per client (``status_attempts``).
"""

import hashlib

from Acquisition import aq_base

from ratusz.eservices.receipt import key_matches
from ratusz.eservices.receipt import normalized_key
from ratusz.eservices.tracking import Throttle
from ratusz.gis.open311.store import open311_store
from ratusz.gis.reports.settings import reports_setting
from ratusz.gis.reports.tracking import find_report
from ratusz.i18n import _
from ratusz.validators import InputError

HINT_LENGTH = 6
GUESSES = Throttle()


class TokenRefused(InputError):
    """No report has this token (``field`` None), or too many wrong tokens were tried."""


class TooManyGuesses(TokenRefused):
    """Refused by the throttle: answered with 429."""


def token_hint(token):
    """The short hint a token is listed under.

    >>> token_hint("K7QM-3TZP-W9AD") == token_hint("k7qm3tzpw9ad")
    True
    """
    return hashlib.sha256(normalized_key(token).encode()).hexdigest()[:HINT_LENGTH]


def remember_token(token, number):
    """List the report ``number`` under its token's hint (after an Open311 POST)."""
    tokens = open311_store(create=True)["tokens"]
    hint = token_hint(token)
    tokens[hint] = tuple(tokens.get(hint, ())) + (number,)


def report_with_token(token, client):
    """The report whose tracking token is ``token``; raise TokenRefused.

    >>> report_with_token("K7QM-3TZP-W9AD", "203.0.113.9").report_number
    'ZG/2026/00001'
    """
    keys = [("client", client or "?")]
    wait = GUESSES.blocked_for(keys, reports_setting("status_attempts"))
    if wait:
        raise TooManyGuesses(
            None,
            _(
                "Too many wrong attempts. Try again in ${minutes} minutes.",
                mapping={"minutes": max(1, int(wait // 60) + 1)},
            ),
        )
    token = token if isinstance(token, str) else ""
    store = open311_store()
    numbers = store["tokens"].get(token_hint(token), ()) if store is not None and token else ()
    for number in numbers:
        report = find_report(number)
        base = aq_base(report) if report is not None else None
        if base is not None and key_matches(
            token, getattr(base, "token_salt", None), getattr(base, "token_hash", None)
        ):
            return report
    GUESSES.record(keys)
    raise TokenRefused(None, _("No request has this token."))
