"""The demo city: one user per role, linked home pages in three languages."""

import pytest
from plone import api
from plone.app.multilingual.interfaces import ITranslationManager

from ratusz.demo import DEMO_USERS

BIP_ROLES = {"BIP Editor", "BIP Administrator"}
EXPECTED_ROLES = {
    "mieszkaniec": ({"Member"}, {"Editor", "Site Administrator", "Manager", "Staff"} | BIP_ROLES),
    "urzednik": ({"Member", "Staff"}, {"Editor", "Site Administrator", "Manager"} | BIP_ROLES),
    "ksiegowa": ({"Member", "Staff"}, {"Editor", "Site Administrator", "Manager"} | BIP_ROLES),
    "kierownik": ({"Member", "Staff"}, {"Editor", "Site Administrator", "Manager"} | BIP_ROLES),
    "kancelaria": (
        {"Member", "Staff", "Registrar"},
        {"Editor", "Site Administrator", "Manager", "Secretariat"} | BIP_ROLES,
    ),
    "sekretariat": (
        {"Member", "Staff", "Secretariat"},
        {"Editor", "Site Administrator", "Manager", "Registrar"} | BIP_ROLES,
    ),
    "redaktor": (
        {"Member", "Editor", "Contributor", "Reviewer", "BIP Editor"},
        {"Site Administrator", "Manager", "BIP Administrator"},
    ),
    "sekretarz": ({"Member", "BIP Administrator"}, {"Site Administrator", "Manager", "Editor"}),
    "administrator": ({"Site Administrator"}, {"Manager"}),
}


@pytest.fixture
def demo(functional):
    return functional["portal"]


@pytest.mark.parametrize("login", list(DEMO_USERS))
def test_demo_user_roles(demo, login):
    has, lacks = EXPECTED_ROLES[login]
    roles = set(api.user.get_roles(username=login))
    assert has <= roles
    assert not (lacks & roles)


@pytest.mark.parametrize("login", list(DEMO_USERS))
def test_demo_user_password_and_name(demo, login):
    fullname, _groups, password = DEMO_USERS[login]
    acl_users = api.portal.get_tool("acl_users")
    assert acl_users.authenticate(login, password, demo.REQUEST) is not None
    assert acl_users.authenticate(login, "wrong-password", demo.REQUEST) is None
    assert api.user.get(username=login).getProperty("fullname") == fullname


def test_home_pages_are_translations_of_each_other(demo):
    polish = demo.pl.witamy
    translations = ITranslationManager(polish).get_translations()
    assert {code: obj.absolute_url_path() for code, obj in translations.items()} == {
        "pl": "/plone/pl/witamy",
        "en": "/plone/en/welcome",
        "uk": "/plone/uk/vitayemo",
    }


@pytest.mark.parametrize(
    "language, page_id", [("pl", "witamy"), ("en", "welcome"), ("uk", "vitayemo")]
)
def test_home_page_is_published_default_page_marked_as_demo(demo, language, page_id):
    root = demo[language]
    assert root.getDefaultPage() == page_id
    page = root[page_id]
    assert api.content.get_state(page) == "published"
    assert page.Language() == language
    assert "Przykładowo" in page.text.raw or "Пшикладово" in page.text.raw
    assert (
        ("fikcyjne" in page.text.raw)
        or ("fictional" in page.text.raw)
        or ("вигадане" in page.text.raw)
    )


def test_anonymous_sees_the_home_page_but_not_the_users(demo):
    from plone.app.testing import logout

    logout()
    assert api.user.has_permission("View", obj=demo.pl.witamy)
    assert not api.user.has_permission("Manage users", obj=demo)


def test_demo_install_is_idempotent(demo):
    from ratusz.demo import install_demo

    install_demo(None)
    assert len([u for u in api.user.get_users() if u.getId() in DEMO_USERS]) == len(DEMO_USERS)
    assert demo.pl.objectIds().count("witamy") == 1


def test_demo_city_has_the_demonstration_jrwa(demo):
    from ratusz.cases.jrwa import get_class
    from ratusz.cases.jrwa import stored_list

    assert len(stored_list(demo).classes) == 1549
    assert get_class(demo, "0020").category == "B5"
    assert "demo" in stored_list(demo).source["filename"]


def test_demo_office_has_six_departments_with_their_groups(demo):
    from ratusz.cases.organisation import departments

    assert [d.symbol for d in departments()] == ["FN", "GK", "OR", "OS", "SO", "USC"]
    members = {u.getId() for u in api.user.get_users(groupname="ratusz-unit-or")}
    assert members == {"kierownik", "urzednik"}
    heads = {u.getId() for u in api.user.get_users(groupname="ratusz-unit-or-heads")}
    assert heads == {"kierownik"}
