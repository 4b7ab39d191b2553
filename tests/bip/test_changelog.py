"""The change register index: which changes become entries, and how they are found."""

from datetime import date
from datetime import datetime

import pytest
from plone import api
from zope.interface import alsoProvides

from ratusz.bip import changelog
from ratusz.bip.register import find_changes
from ratusz.bip.register import read_filters
from ratusz.bip.register import top_sections
from ratusz.interfaces import IRatuszLayer
from tests.bip.helpers import edit
from tests.bip.helpers import make_act
from tests.bip.helpers import make_published_act
from tests.bip.helpers import publish


@pytest.fixture
def pl_root(portal):
    alsoProvides(portal.REQUEST, IRatuszLayer)
    return portal.pl.bip


def entries_of(obj):
    register = changelog.get_register()
    uid = api.content.get_uuid(obj)
    return [register.entries[key] for key in register.item_keys(uid)]


def public_changes(root, **filters):
    filters = {"start": None, "end": None, "section": None, **filters}
    return list(find_changes(root, filters, public_only=True))


def at(year, month, day, hour=12):
    zone = changelog.site_timezone()
    return datetime(year, month, day, hour, tzinfo=zone).timestamp()


def test_creation_and_publication_are_entries_with_versions(pl_root):
    act = make_act(title="Uchwała o budżecie")
    assert [e["action"] for e in entries_of(act)] == ["created"]
    assert entries_of(act)[0]["review_state"] == "draft"

    publish(act)
    newest = entries_of(act)[0]
    assert newest["action"] == "published"
    assert newest["review_state"] == "published"
    assert newest["section_id"] == "prawo-lokalne"
    assert newest["language"] == "pl"
    # The moment of publication is a version of its own, so the public can read it later.
    history = api.portal.get_tool("portal_repository").getHistoryMetadata(act)
    assert history.getLength(countPurged=False) - 1 == newest["version_id"]
    sys_metadata = history.retrieve(newest["version_id"])["metadata"]["sys_metadata"]
    assert sys_metadata["review_state"] == "published"


def test_edit_with_a_note_saves_a_version_and_an_entry(pl_root):
    act = make_published_act()
    before = act.version_id
    edit(act, note="Poprawiono numer uchwały", act_number="I/2/2026")
    assert act.version_id == before + 1
    newest = entries_of(act)[0]
    assert (newest["action"], newest["note"], newest["version_id"]) == (
        "edited",
        "Poprawiono numer uchwały",
        before + 1,
    )
    assert newest in public_changes(pl_root)


def test_adding_an_attachment_is_not_an_edit_of_the_item(pl_root):
    act = make_published_act()
    count = len(entries_of(act))
    with api.env.adopt_roles(["Manager"]):
        api.content.create(container=act, type="File", title="Załącznik")
    assert len(entries_of(act)) == count


def test_draft_changes_are_for_the_staff_only(pl_root):
    act = make_act(title="Projekt uchwały")
    edit(act, note="Szkic", title="Projekt uchwały (2)")
    all_changes = list(find_changes(pl_root, {}, public_only=False))
    assert {e["uid"] for e in all_changes} >= {act.UID()}
    assert act.UID() not in {e["uid"] for e in public_changes(pl_root)}


def test_date_filters_include_both_days_and_nothing_outside(pl_root):
    act = make_published_act()
    register = changelog.get_register()
    for day in (1, 2, 3, 4):
        entry = changelog.make_entry(act, "edited", f"zmiana {day}", version_id=1)
        entry["timestamp"] = at(2025, 3, day, hour=0 if day == 2 else 23)
        register.add(entry)
    found = public_changes(pl_root, start=date(2025, 3, 2), end=date(2025, 3, 3))
    assert [e["note"] for e in found] == ["zmiana 3", "zmiana 2"]
    assert [e["note"] for e in public_changes(pl_root, end=date(2025, 3, 1))] == ["zmiana 1"]
    newest_first = public_changes(pl_root, start=date(2025, 3, 1))
    assert [e["timestamp"] for e in newest_first] == sorted(
        (e["timestamp"] for e in newest_first), reverse=True
    )


def test_section_filter(pl_root):
    act = make_published_act()
    other = make_published_act(container=pl_root["status-prawny"], title="Statut")
    sections = top_sections(pl_root)
    filters, errors = read_filters({"section": "prawo-lokalne"}, sections)
    assert not errors
    uids = {e["uid"] for e in public_changes(pl_root, section=filters["section"])}
    assert act.UID() in uids
    assert other.UID() not in uids


def test_wrong_filters_are_named(pl_root):
    sections = top_sections(pl_root)
    _filters, errors = read_filters(
        {"from": "2026-02-30", "to": "x" * 5000, "section": "<script>"}, sections
    )
    assert set(errors) == {"from", "to", "section"}
    _filters, errors = read_filters({"from": "2026-03-02", "to": "2026-03-01"}, sections)
    assert set(errors) == {"to"}
    _filters, errors = read_filters({"from": ["2026-03-02", "2026-03-03"]}, sections)
    assert set(errors) == {"from"}


def test_languages_keep_their_own_registers(pl_root, portal):
    en_root = portal.en.bip
    english = make_published_act(container=en_root["local-law"]["resolutions"], title="Resolution")
    polish = make_published_act(title="Uchwała polska")
    assert english.UID() in {e["uid"] for e in public_changes(en_root)}
    assert english.UID() not in {e["uid"] for e in public_changes(pl_root)}
    assert polish.UID() not in {e["uid"] for e in public_changes(en_root)}
    assert entries_of(english)[0]["language"] == "en"


def test_a_renamed_item_keeps_its_entries_under_its_new_address(pl_root):
    from ratusz.bip.register import current_urls

    act = make_published_act(title="Uchwała do przeniesienia")
    with api.env.adopt_roles(["Manager"]):
        moved = api.content.rename(obj=act, new_id="nowy-adres")
    entries = entries_of(moved)
    assert entries  # the entries follow the UID, not the path
    urls = current_urls(entries)
    assert urls[moved.UID()].endswith("/prawo-lokalne/uchwaly/nowy-adres")


def test_archiving_and_restoring_are_public_entries(pl_root):
    act = make_published_act()
    with api.env.adopt_roles(["Manager"]):
        api.content.transition(obj=act, transition="archive")
        api.content.transition(obj=act, transition="restore", comment="Błędnie zarchiwizowano")
    actions = [(e["action"], e["note"]) for e in entries_of(act)]
    assert actions[:2] == [("restored", "Błędnie zarchiwizowano"), ("archived", "")]
    public_actions = {e["action"] for e in public_changes(pl_root) if e["uid"] == act.UID()}
    assert public_actions == {"published", "archived", "restored"}


def test_rebuild_fills_the_register_from_the_versions(pl_root, portal):
    from zope.annotation.interfaces import IAnnotations

    act = make_published_act(title="Uchwała sprzed rejestru")
    edit(act, note="Zmiana sprzed rejestru", act_number="I/3/2026")
    del IAnnotations(portal)[changelog.ANNOTATION_KEY]  # as on a site older than the register

    assert changelog.rebuild_register() >= 3
    assert [(e["action"], e["note"], e["review_state"]) for e in entries_of(act)] == [
        ("edited", "Zmiana sprzed rejestru", "published"),
        ("published", "", "published"),
        ("created", "", "draft"),
    ]
    assert act.UID() in {e["uid"] for e in public_changes(pl_root)}
    assert changelog.rebuild_register() == 0  # nothing twice
