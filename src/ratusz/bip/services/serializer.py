"""JSON of the change register's entries, shared by ``@bip-history`` and ``@bip-changes``."""

from zope.i18n import translate

from ratusz.bip import changelog


def serialize_change(entry, url, request):
    """One register entry as JSON; ``url`` is the item's current address (None if deleted).

    >>> serialize_change(entry, "http://…/pl/bip/…/uchwala-1", request)["action"]
    'edited'
    """
    moment = changelog.local_datetime(entry["timestamp"])
    version = entry["version_id"]
    return {
        "@id": f"{url}/@@bip-version?version={version}" if url and version is not None else None,
        "time": moment.isoformat(timespec="seconds"),
        "action": entry["action"],
        "action_title": _title(changelog.ACTION_TITLES, entry["action"], request),
        "version": version,
        "comment": entry["note"],
        "actor": {"fullname": entry["fullname"]},
        "review_state": entry["review_state"],
        "review_state_title": _title(changelog.STATE_TITLES, entry["review_state"], request),
        "item": {
            "@id": url,
            "UID": entry["uid"],
            "title": entry["title"],
            "@type": entry["portal_type"],
        },
        "section": {"id": entry["section_id"], "title": entry["section_title"]},
    }


def _title(titles, value, request):
    title = titles.get(value)
    return translate(title, context=request) if title is not None else value
