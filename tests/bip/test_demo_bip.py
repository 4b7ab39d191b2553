"""The demo city's BIP: every register has something in it."""

import pytest
from plone import api

from ratusz.bip.demo import create_bip_demo_content
from ratusz.bip.demo import demo_pdf


def test_demo_pdf_is_a_pdf():
    data = demo_pdf("Test")
    assert data.startswith(b"%PDF-1.4")
    assert data.rstrip().endswith(b"%%EOF")
    assert b"(Test) Tj" in data


@pytest.fixture
def demo_bip(portal, apply_profiles):
    """The BIP after ``ratusz:demo-bip``, as `make start` creates it."""
    with api.env.adopt_roles(["Manager"]):
        apply_profiles(portal, ["ratusz:demo-bip"])
    return portal.pl.bip


def test_the_distribution_installs_the_demo_bip_after_the_demo_city():
    import json
    from pathlib import Path

    import ratusz

    profiles = json.loads(
        (Path(ratusz.__file__).parent / "distributions/ratusz/profiles.json").read_text()
    )
    assert profiles["content"] == [
        "ratusz:demo",
        "ratusz:demo-bip",
        "ratusz:demo-eservices",
        "ratusz:demo-gis",
    ]


def test_every_register_has_published_items(demo_bip):
    for section in (
        "prawo-lokalne/uchwaly",
        "prawo-lokalne/zarzadzenia",
        "ogloszenia-i-obwieszczenia",
        "zamowienia-publiczne",
        "nabor-na-stanowiska",
        "oswiadczenia-majatkowe",
    ):
        path = "/".join(demo_bip.getPhysicalPath()) + "/" + section
        found = api.content.find(path=path, review_state="published")
        assert len(found) >= 1, section


def test_demo_items_have_complete_metadata(demo_bip):
    act = demo_bip["prawo-lokalne"]["uchwaly"]["uchwala-xii-120-2026"]
    assert act.bip_entered_by == "Ewa Redaktor (redaktor)"
    assert act.effective_date is not None


def test_old_resolution_is_amended_by_the_new(demo_bip):
    resolutions = demo_bip["prawo-lokalne"]["uchwaly"]
    old = resolutions["uchwala-v-40-2025"]
    assert old.act_status == "amended"
    assert old.amended_by[0].to_object == resolutions["uchwala-xii-120-2026"]


def test_expired_announcement_is_archived(demo_bip):
    notice = demo_bip["ogloszenia-i-obwieszczenia"]["ogloszenie-konsultacje-2025"]
    assert api.content.get_state(notice) == "archived"


def test_statute_has_a_version_with_a_change_note(demo_bip):
    statute = demo_bip["status-prawny"]["statut-miasta"]
    with api.env.adopt_roles(["Manager"]):
        history = api.portal.get_tool("portal_repository").getHistoryMetadata(statute)
        notes = [
            history.retrieve(version)["metadata"]["sys_metadata"]["comment"]
            for version in range(history.getLength(countPurged=False))
        ]
    assert "Dodano zasady działania jednostek pomocniczych" in notes


def test_running_again_adds_nothing(demo_bip):
    before = len(api.content.find(path="/".join(demo_bip.getPhysicalPath())))
    with api.env.adopt_roles(["Manager"]):
        create_bip_demo_content()
    assert len(api.content.find(path="/".join(demo_bip.getPhysicalPath()))) == before
