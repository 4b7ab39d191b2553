"""Requests for public information not published in the BIP (requirements B6–B7).

A visitor asks through the form ``request-information`` of a BIP section or
``POST …/@information-requests``; the request gets a number (``UDIP.1.2026``)
and a 14-day deadline (UDIP art. 13), then the registered handlers run in
order: ``store`` keeps it, ``notify`` mails the BIP administrator and the
requester. Staff read the list at ``/pl/bip/information-requests`` or
``GET …/@information-requests``. See docs/bip-requests.md.
"""
