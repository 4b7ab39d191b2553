"""The BIP in the REST API over real HTTP (the WSGI server layer): the change-note rule
on PATCH, ``@bip-history``, ``@bip-changes`` and ``@bip-metadata``."""

import pytest
import requests
import transaction
from plone import api

from ratusz.bip import changelog
from ratusz.bip.changenote import MISSING_NOTE
from ratusz.demo import DEMO_USERS
from tests.bip.helpers import edit
from tests.bip.helpers import in_any_language
from tests.bip.helpers import make_act
from tests.bip.helpers import make_published_act

HEADERS = {"Accept": "application/json", "Content-Type": "application/json"}
HOSTILE = "<script>alert('api')</script>"


@pytest.fixture
def site(browser_layer):
    return f"http://{browser_layer['host']}:{browser_layer['port']}/plone", browser_layer["portal"]


@pytest.fixture
def acts(site):
    _url, portal = site
    act = make_published_act(title="Uchwała o drogach", staff=True)
    edit(act, note=f"Nowa stawka {HOSTILE}", by="redaktor", act_number="I/7/2026")
    draft = make_act(title="Projekt o drogach", editor="redaktor")
    edit(draft, note="Szkic", by="redaktor", act_number="I/8/2026")
    transaction.commit()
    return {"act": act, "draft": draft}


def auth(login):
    return (login, DEMO_USERS[login][2]) if login else None


def call(method, url, login=None, **kwargs):
    return requests.request(method, url, headers=HEADERS, auth=auth(login), timeout=30, **kwargs)


def item_url(site, obj):
    url, portal = site
    return url + "/" + "/".join(obj.getPhysicalPath()[len(portal.getPhysicalPath()) :])


def versions_and_titles(obj):
    transaction.begin()
    register = changelog.get_register()
    return obj.Title(), obj.version_id, len(list(register.item_keys(obj.UID())))


# --- PATCH: the change note ----------------------------------------------------------


@pytest.mark.parametrize("note", [None, "", "   ", 42, ["list"]])
def test_patch_of_a_published_item_without_a_note_is_refused(site, acts, note):
    act = acts["act"]
    before = versions_and_titles(act)
    body = {"title": "Zmieniony bez opisu"}
    if note is not None:
        body["changeNote"] = note
    answer = call("PATCH", item_url(site, act), "redaktor", json=body)
    assert answer.status_code == 400
    assert answer.json()["message"] in in_any_language(MISSING_NOTE)
    assert versions_and_titles(act) == before


def test_patch_with_a_note_saves_a_version_with_it(site, acts):
    act = acts["act"]
    _title, version_before, entries_before = versions_and_titles(act)
    answer = call(
        "PATCH",
        item_url(site, act),
        "redaktor",
        json={"title": "Uchwała o drogach gminnych", "changeNote": "Doprecyzowano tytuł"},
    )
    assert answer.status_code == 204, answer.text
    title, version_id, entries = versions_and_titles(act)
    assert (title, version_id, entries) == (
        "Uchwała o drogach gminnych",
        version_before + 1,
        entries_before + 1,
    )
    history = call("GET", f"{item_url(site, act)}/@bip-history").json()
    assert history["items"][0]["comment"] == "Doprecyzowano tytuł"
    assert history["items"][0]["action"] == "edited"


def test_patch_of_a_draft_needs_no_note_and_a_huge_note_is_refused(site, acts):
    draft = acts["draft"]
    answer = call("PATCH", item_url(site, draft), "redaktor", json={"title": "Projekt 2"})
    assert answer.status_code == 204, answer.text
    huge = call(
        "PATCH", item_url(site, draft), "redaktor", json={"title": "X", "changeNote": "a" * 5000}
    )
    assert huge.status_code == 400
    transaction.begin()
    assert draft.Title() == "Projekt 2"


def test_patch_by_the_public_is_refused(site, acts):
    for login in (None, "mieszkaniec", "urzednik"):
        answer = call(
            "PATCH", item_url(site, acts["act"]), login, json={"title": "X", "changeNote": "y"}
        )
        assert answer.status_code == 401, login


# --- @bip-history ------------------------------------------------------------------


def test_history_is_public_filtered(site, acts):
    act_url = item_url(site, acts["act"])
    public = call("GET", f"{act_url}/@bip-history").json()
    assert [item["action"] for item in public["items"]] == ["edited", "published"]
    assert public["items_total"] == 2
    first = public["items"][0]
    assert first["comment"] == f"Nowa stawka {HOSTILE}"  # JSON carries the text as typed
    assert first["actor"] == {"fullname": "Ewa Redaktor"}
    assert first["review_state"] == "published"
    assert first["@id"] == f"{acts['act'].absolute_url()}/@@bip-version?version=2"
    assert first["time"][:2] == "20"
    staff = call("GET", f"{act_url}/@bip-history", "redaktor").json()
    assert [item["action"] for item in staff["items"]] == ["edited", "published", "created"]


def test_history_of_a_draft_is_hidden_from_the_public(site, acts):
    draft_url = item_url(site, acts["draft"])
    assert call("GET", f"{draft_url}/@bip-history").status_code == 401
    assert call("GET", f"{draft_url}/@bip-history", "mieszkaniec").status_code == 401
    staff = call("GET", f"{draft_url}/@bip-history", "sekretarz").json()
    assert [item["comment"] for item in staff["items"]] == ["Szkic", ""]


# --- @bip-changes ------------------------------------------------------------------


def test_changes_for_the_public_and_the_staff(site, acts):
    url, _portal = site
    public = call("GET", f"{url}/pl/bip/@bip-changes").json()
    listed = {item["item"]["UID"] for item in public["items"]}
    assert acts["act"].UID() in listed
    assert acts["draft"].UID() not in listed
    assert public["items_total"] == len(public["items"])
    assert public["items"][0]["section"] == {
        "id": "prawo-lokalne",
        "title": "Prawo lokalne",
    }
    staff = call("GET", f"{url}/pl/bip/@bip-changes", "redaktor").json()
    assert acts["draft"].UID() in {item["item"]["UID"] for item in staff["items"]}
    english = call("GET", f"{url}/en/bip/@bip-changes").json()
    assert acts["act"].UID() not in {item["item"]["UID"] for item in english["items"]}


def test_changes_filters_and_batching(site, acts):
    url, _portal = site
    changes = f"{url}/pl/bip/@bip-changes"
    one = call("GET", changes, params={"b_size": 1, "section": "prawo-lokalne"}).json()
    assert one["items_total"] == 2
    assert len(one["items"]) == 1
    assert "b_start=1" in one["batching"]["next"]
    assert "section=prawo-lokalne" in one["batching"]["next"]
    old = call("GET", changes, params={"from": "2001-01-01", "to": "2001-12-31"}).json()
    assert old["items_total"] == 0


@pytest.mark.parametrize(
    "params",
    [
        {"from": "2026-02-30"},
        {"to": "31.12.2026"},
        {"from": "2026-03-02", "to": "2026-03-01"},
        {"section": "no-such-section"},
        {"section": HOSTILE},
        {"b_size": "100000"},
        {"b_size": "-1"},
        {"b_size": "0"},
        {"b_start": "-5"},
        {"b_start": "abc"},
        {"from": "9" * 5000},
    ],
)
def test_changes_bad_parameters_are_a_clear_400(site, acts, params):
    url, _portal = site
    answer = call("GET", f"{url}/pl/bip/@bip-changes", params=params)
    assert answer.status_code == 400
    body = answer.json()
    assert body["type"] == "BadRequest"
    assert body["message"]
    assert HOSTILE not in body["message"]
    assert "Traceback" not in answer.text


# --- @bip-metadata -----------------------------------------------------------------


def test_metadata_component_and_expansion(site, acts):
    act = acts["act"]
    act_url = item_url(site, act)
    plain = call("GET", act_url).json()
    assert plain["@components"]["bip-metadata"] == {"@id": f"{act.absolute_url()}/@bip-metadata"}
    expanded = call("GET", act_url, params={"expand": "bip-metadata"}).json()
    metadata = expanded["@components"]["bip-metadata"]
    direct = call("GET", f"{act_url}/@bip-metadata").json()
    assert direct == metadata
    assert metadata["publishing_body"] == api.portal.get_registry_record("ratusz.city.office_name")
    assert metadata["produced_by"] == "Anna Kowalska, inspektor"
    assert metadata["producing_unit"] == "Wydział Organizacyjny"
    assert metadata["responsible"] == "Zofia Sekretarz, Sekretarz Miasta"
    assert metadata["date_produced"] == "2026-01-05"
    assert metadata["entered_by"] == "Ewa Redaktor (redaktor)"
    assert metadata["date_published"].startswith("20")
    assert metadata["last_change"] >= metadata["date_published"]
    assert metadata["history"] == f"{act.absolute_url()}/@@bip-history"


def test_metadata_of_a_draft_is_for_the_staff(site, acts):
    draft_url = item_url(site, acts["draft"])
    assert call("GET", f"{draft_url}/@bip-metadata").status_code == 401
    staff = call("GET", f"{draft_url}/@bip-metadata", "redaktor").json()
    assert staff["date_published"] is None
