"""Departments mapped to groups, deputies by date, and who may see and do what."""

from datetime import date
from datetime import timedelta

import pytest
import transaction
from lxml import html as lxml_html
from plone import api

from ratusz.cases.organisation import DeputyError
from ratusz.cases.organisation import SyncDeputiesJob
from ratusz.cases.organisation import cancel_deputy
from ratusz.cases.organisation import department_by_symbol
from ratusz.cases.organisation import departments_of
from ratusz.cases.organisation import group_ids
from ratusz.cases.organisation import heads_today
from ratusz.cases.organisation import name_deputy
from ratusz.cases.organisation import sync_department
from tests.bip.security_helpers import browser_for
from tests.bip.security_helpers import rest
from tests.bip.security_helpers import status_of
from tests.bip.security_helpers import was_refused

TODAY = date.today()


def members(group_id):
    return {user.getId() for user in api.user.get_users(groupname=group_id)}


def direct_members(group_id):
    return set(api.portal.get_tool("portal_groups").getGroupById(group_id).getGroupMemberIds())


@pytest.fixture
def site(functional):
    return functional["portal"], functional["app"]


@pytest.fixture
def or_department(functional):
    return functional["portal"].intranet.wydzialy["or"]


# --- groups follow the department ----------------------------------------------------


def test_the_demo_department_has_its_three_groups(or_department):
    ids = group_ids(or_department)
    assert ids == {
        "unit": "ratusz-unit-or",
        "heads": "ratusz-unit-or-heads",
        "secretariat": "ratusz-unit-or-secretariat",
    }
    assert direct_members(ids["unit"]) == {"kierownik", "urzednik"}
    assert direct_members(ids["heads"]) == {"kierownik"}
    assert direct_members(ids["secretariat"]) == set()
    # nested: the unit in the staff, the heads in all heads
    assert "ratusz-unit-or" in direct_members("ratusz-staff")
    assert "ratusz-unit-or-heads" in direct_members("ratusz-department-heads")
    group = api.group.get(groupname="ratusz-unit-or-heads")
    assert group.getProperty("title") == "Wydział Organizacyjny (OR): kierownik i zastępcy"


def test_members_of_a_department_get_the_staff_role(site):
    assert "Staff" in api.user.get_roles(username="urzednik")
    assert "Staff" not in api.user.get_roles(username="mieszkaniec")


def test_editing_the_department_moves_people_between_groups(site, or_department):
    with api.env.adopt_roles(["Manager"]):
        or_department.members = ["ksiegowa"]
        or_department.secretariat = ["urzednik"]
        from zope.event import notify
        from zope.lifecycleevent import ObjectModifiedEvent

        notify(ObjectModifiedEvent(or_department))
    assert direct_members("ratusz-unit-or") == {"kierownik", "ksiegowa", "urzednik"}
    assert direct_members("ratusz-unit-or-secretariat") == {"urzednik"}
    assert [d.symbol for d in departments_of("ksiegowa")] == ["FN", "OR"]


def test_removing_a_department_removes_its_groups(site):
    portal, _app = site
    with api.env.adopt_roles(["Manager"]):
        api.content.delete(obj=portal.intranet.wydzialy["gk"])
    for group_id in ("ratusz-unit-gk", "ratusz-unit-gk-heads", "ratusz-unit-gk-secretariat"):
        assert api.group.get(groupname=group_id) is None
    assert department_by_symbol("GK") is None


# --- the department form -------------------------------------------------------------


def add_department(browser, portal, symbol, title, head=None):
    browser.open(f"{portal.absolute_url()}/intranet/wydzialy/++add++Department")
    browser.getControl(name="form.widgets.symbol").value = symbol
    browser.getControl(name="form.widgets.title").value = title
    if head:
        browser.getControl(name="form.widgets.head").value = head
    browser.getControl(name="form.buttons.save").click()
    return browser


def test_administrator_adds_a_department_named_after_its_symbol(site):
    portal, app = site
    browser = add_department(
        browser_for(app, "administrator"), portal, "KS", "Wydział Kultury", "ksiegowa"
    )
    assert browser.url.startswith(f"{portal.absolute_url()}/intranet/wydzialy/ks")
    transaction.begin()
    assert direct_members("ratusz-unit-ks-heads") == {"ksiegowa"}
    tree = lxml_html.fromstring(browser.contents)
    assert tree.cssselect("#ratusz-department-symbol")[0].text_content() == "KS"


@pytest.mark.parametrize(
    "symbol, title, message",
    [
        ("or", "Mały symbol", "Symbol to od 1 do 10 wielkich liter lub cyfr"),
        ("1A", "Cyfra", "Symbol to od 1 do 10 wielkich liter lub cyfr"),
        ("O R", "Spacja", "Symbol to od 1 do 10 wielkich liter lub cyfr"),
        ("OR", "Drugi OR", "Inny wydział ma już ten symbol."),
        ("ZZ", "<script>alert(1)</script>", "Znaki &lt; i &gt; nie są tu dozwolone."),
        ("ZZ", "", "Wymagane pole nie zostało wypełnione."),
        ("ABCDEFGHIJK", "Za długi", "Tekst jest za długi"),
    ],
)
def test_wrong_department_input_is_explained_and_nothing_is_created(site, symbol, title, message):
    portal, app = site
    browser = browser_for(app, "administrator")  # the intranet speaks the site's Polish
    add_department(browser, portal, symbol, title)
    assert message in browser.contents
    transaction.begin()
    assert sorted(portal.intranet.wydzialy.objectIds()) == ["fn", "gk", "or", "os", "so", "usc"]


def test_the_symbol_stays_unique_when_editing(site):
    portal, app = site
    browser = browser_for(app, "administrator")
    browser.open(f"{portal.absolute_url()}/intranet/wydzialy/fn/edit")
    browser.getControl(name="form.widgets.symbol").value = "OR"
    browser.getControl(name="form.buttons.save").click()
    assert "Inny wydział ma już ten symbol." in browser.contents
    browser.getControl(name="form.widgets.symbol").value = "FN"
    browser.getControl(name="form.widgets.title").value = "Wydział Finansów"
    browser.getControl(name="form.buttons.save").click()
    transaction.begin()
    assert portal.intranet.wydzialy["fn"].title == "Wydział Finansów"


# --- who sees and does what --------------------------------------------------------------


@pytest.mark.parametrize("login", [None, "mieszkaniec", "redaktor", "sekretarz"])
def test_the_intranet_is_invisible_outside_the_staff(site, login):
    portal, app = site
    for path in ("intranet", "intranet/wydzialy", "intranet/wydzialy/or"):
        browser = browser_for(app, login)
        browser.open(f"{portal.absolute_url()}/{path}")
        assert was_refused(browser), (login, path)
    response = rest(app, "GET", f"{portal.absolute_url()}/intranet/wydzialy/or", login)
    assert response.status_int in (401, 403)
    search = rest(app, "GET", f"{portal.absolute_url()}/@search?portal_type=Department", login)
    assert search.json["items_total"] == 0
    browser = browser_for(app, login)
    browser.open(f"{portal.absolute_url()}/pl/@@search?SearchableText=Organizacyjny")
    assert "/intranet/" not in browser.contents


@pytest.mark.parametrize("login", ["urzednik", "ksiegowa", "kierownik", "administrator"])
def test_staff_see_the_directory_and_the_departments(site, login):
    portal, app = site
    browser = browser_for(app, login)
    browser.open(f"{portal.absolute_url()}/intranet/wydzialy")
    assert status_of(browser) == 200
    rows = lxml_html.fromstring(browser.contents).cssselect("#ratusz-staff-directory tbody tr")
    assert [row.cssselect("td")[0].text_content() for row in rows] == [
        "FN",
        "GK",
        "OR",
        "OS",
        "SO",
        "USC",
    ]
    or_row = rows[2].cssselect("td")
    assert or_row[2].text_content() == "Piotr Kierownik"
    browser.open(f"{portal.absolute_url()}/intranet/wydzialy/or")
    tree = lxml_html.fromstring(browser.contents)
    assert tree.cssselect("#ratusz-department-members li")[0].text_content() == "Anna Urzędnik"


@pytest.mark.parametrize("login", ["urzednik", "ksiegowa", "kierownik"])
def test_staff_may_not_change_departments(site, login):
    portal, app = site
    browser = browser_for(app, login)
    browser.open(f"{portal.absolute_url()}/intranet/wydzialy/or/edit")
    assert was_refused(browser)
    browser = browser_for(app, login)
    browser.open(f"{portal.absolute_url()}/intranet/wydzialy/++add++Department")
    assert was_refused(browser)


def test_only_the_head_and_administrators_manage_deputies(site):
    portal, app = site
    url = f"{portal.absolute_url()}/intranet/wydzialy/or/@@deputies"
    for login, allowed in (
        ("kierownik", True),
        ("administrator", True),
        ("urzednik", False),
        ("ksiegowa", False),
        ("mieszkaniec", False),
        (None, False),
    ):
        browser = browser_for(app, login)
        browser.open(url)
        assert (not was_refused(browser)) is allowed, login
    browser = browser_for(app, "kierownik")
    browser.open(f"{portal.absolute_url()}/intranet/wydzialy/fn/@@deputies")
    assert was_refused(browser)  # the head of OR is not the head of FN


# --- deputies -------------------------------------------------------------------------


def test_a_deputy_in_force_joins_the_heads_and_leaves_after_the_last_day(site, or_department):
    with api.env.adopt_user(username="kierownik"):
        name_deputy(or_department, "urzednik", TODAY, TODAY + timedelta(days=3), "urlop")
    assert heads_today(or_department) == ["kierownik", "urzednik"]
    assert direct_members("ratusz-unit-or-heads") == {"kierownik", "urzednik"}
    job = SyncDeputiesJob()
    report = job(api.portal.get(), TODAY + timedelta(days=4))
    assert report == ["Deputies in force: 0."]
    assert direct_members("ratusz-unit-or-heads") == {"kierownik"}


def test_a_planned_deputy_starts_on_the_first_day(site, or_department):
    start = TODAY + timedelta(days=2)
    name_deputy(or_department, "urzednik", start, start + timedelta(days=1), named_by="kierownik")
    assert direct_members("ratusz-unit-or-heads") == {"kierownik"}
    report = SyncDeputiesJob()(api.portal.get(), start)
    last = (start + timedelta(days=1)).isoformat()
    assert report == [f"Deputies in force: 1 (OR: kierownik → urzednik until {last})."]
    assert direct_members("ratusz-unit-or-heads") == {"kierownik", "urzednik"}


@pytest.mark.parametrize(
    "deputy, start, end, reason, field",
    [
        ("nikt", TODAY, TODAY, "", "deputy"),
        ("kierownik", TODAY, TODAY, "", "deputy"),
        ("urzednik", TODAY, TODAY - timedelta(days=1), "", "end"),
        ("urzednik", TODAY - timedelta(days=9), TODAY - timedelta(days=2), "", "end"),
        ("urzednik", TODAY, TODAY, "<b>urlop</b>", "reason"),
        ("urzednik", TODAY, TODAY, "x" * 501, "reason"),
    ],
)
def test_wrong_deputies_are_refused_naming_the_field(
    site, or_department, deputy, start, end, reason, field
):
    with pytest.raises(DeputyError) as raised:
        name_deputy(or_department, deputy, start, end, reason, named_by="kierownik")
    assert raised.value.field == field
    assert getattr(or_department, "substitutions", []) == []
    assert direct_members("ratusz-unit-or-heads") == {"kierownik"}


def test_cancelling_a_deputy_takes_him_out_at_once(site, or_department):
    entry = name_deputy(or_department, "urzednik", TODAY, TODAY, named_by="kierownik")
    assert cancel_deputy(or_department, entry)
    assert direct_members("ratusz-unit-or-heads") == {"kierownik"}
    assert not cancel_deputy(or_department, entry)


def test_the_head_names_and_cancels_a_deputy_with_the_form(site):
    portal, app = site
    url = f"{portal.absolute_url()}/intranet/wydzialy/or/@@deputies"
    browser = browser_for(app, "kierownik")
    browser.open(url)
    browser.getControl(name="deputy").value = ["urzednik"]
    browser.getControl(name="start").value = TODAY.isoformat()
    browser.getControl(name="end").value = (TODAY + timedelta(days=2)).isoformat()
    browser.getControl(name="reason").value = "urlop wypoczynkowy"
    browser.getControl(name="name").click()
    assert "Zastępca został wyznaczony." in browser.contents
    tree = lxml_html.fromstring(browser.contents)
    cells = [td.text_content().strip() for td in tree.cssselect("#ratusz-deputies tbody tr td")]
    assert cells[0] == "Anna Urzędnik"
    assert cells[3:6] == ["urlop wypoczynkowy", "Piotr Kierownik", "obowiązuje"]
    transaction.begin()
    assert direct_members("ratusz-unit-or-heads") == {"kierownik", "urzednik"}

    browser.getControl(name="cancel").click()
    assert "Zastępca został odwołany." in browser.contents
    transaction.begin()
    assert direct_members("ratusz-unit-or-heads") == {"kierownik"}


def test_the_form_explains_wrong_dates_and_keeps_what_was_typed(site):
    portal, app = site
    browser = browser_for(app, "kierownik")
    browser.open(f"{portal.absolute_url()}/intranet/wydzialy/or/@@deputies")
    browser.getControl(name="deputy").value = ["urzednik"]
    browser.getControl(name="start").value = "2026-13-45"
    browser.getControl(name="end").value = TODAY.isoformat()
    browser.getControl(name="reason").value = "<script>x</script>"
    browser.getControl(name="name").click()
    tree = lxml_html.fromstring(browser.contents)
    start = tree.cssselect("#ratusz-deputy-start")[0]
    assert start.get("aria-invalid") == "true"
    assert (
        "Podaj pierwszy dzień jako datę"
        in tree.cssselect("#ratusz-deputy-start-error")[0].text_content()
    )
    assert tree.cssselect("#ratusz-deputy-reason")[0].get("value") == "<script>x</script>"
    assert "<script>x</script>" not in browser.contents
    transaction.begin()
    assert not getattr(portal.intranet.wydzialy["or"], "substitutions", None)


def test_a_post_without_the_token_names_nobody(site):
    portal, app = site
    browser = browser_for(app, "kierownik")
    browser.post(
        f"{portal.absolute_url()}/intranet/wydzialy/or/@@deputies",
        f"deputy=urzednik&start={TODAY.isoformat()}&end={TODAY.isoformat()}&name=1",
    )
    assert status_of(browser) == 403
    transaction.begin()
    assert not getattr(portal.intranet.wydzialy["or"], "substitutions", None)


def test_sync_keeps_groups_when_nothing_changed(site, or_department):
    before = direct_members("ratusz-unit-or")
    sync_department(or_department)
    assert direct_members("ratusz-unit-or") == before
    assert "ratusz-unit-or" in direct_members("ratusz-staff")


# --- the REST API ------------------------------------------------------------------------


def test_administrator_adds_and_edits_departments_through_the_rest_api(site):
    portal, app = site
    directory = f"{portal.absolute_url()}/intranet/wydzialy"
    body = {"@type": "Department", "symbol": "KS", "title": "Wydział Kultury", "head": "ksiegowa"}
    created = rest(app, "POST", directory, "administrator", body)
    assert created.status_int == 201, created.body
    assert created.json["@id"] == f"{directory}/ks"
    transaction.begin()
    assert direct_members("ratusz-unit-ks-heads") == {"ksiegowa"}

    taken = rest(app, "PATCH", f"{directory}/ks", "administrator", {"symbol": "OR"})
    assert taken.status_int == 400
    assert "Inny wydzia\\u0142 ma ju\\u017c ten symbol." in taken.body.decode()  # Polish intranet
    kept = rest(
        app, "PATCH", f"{directory}/ks", "administrator", {"symbol": "KS", "title": "Kultura"}
    )
    assert kept.status_int == 204
    hostile = rest(app, "POST", directory, "administrator", dict(body, symbol="<b>"))
    assert hostile.status_int == 400
    transaction.begin()
    assert sorted(portal.intranet.wydzialy.objectIds()) == [
        "fn",
        "gk",
        "ks",
        "or",
        "os",
        "so",
        "usc",
    ]


@pytest.mark.parametrize("login", ["kierownik", "urzednik"])
def test_staff_may_not_add_departments_through_the_rest_api(site, login):
    portal, app = site
    body = {"@type": "Department", "symbol": "KS", "title": "Wydział Kultury"}
    response = rest(app, "POST", f"{portal.absolute_url()}/intranet/wydzialy", login, body)
    assert response.status_int in (401, 403)
