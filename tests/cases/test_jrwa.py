"""The JRWA: parsing and checking a CSV file, the stored list, the control panel."""

from io import BytesIO
from pathlib import Path

import pytest
import transaction
from lxml import html as lxml_html
from plone import api
from zope.i18n import translate

from ratusz.cases.jrwa import JrwaImportError
from ratusz.cases.jrwa import get_class
from ratusz.cases.jrwa import list_classes
from ratusz.cases.jrwa import normalise_category
from ratusz.cases.jrwa import parse_jrwa
from ratusz.cases.jrwa import replace_list
from ratusz.cases.jrwa import retention_years
from ratusz.cases.jrwa_views import export_jrwa
from ratusz.cases.jrwa_views import import_jrwa
from ratusz.cases.vocabularies import jrwa_classes
from tests.bip.security_helpers import browser_for
from tests.bip.security_helpers import was_refused

DATA = Path(__file__).parent / "data"
DEMO = Path(__file__).parents[2] / "src" / "ratusz" / "cases" / "data" / "jrwa-demo.csv"
HEADER = "symbol;title;category_merytoryczna;category_inne;remarks\n"
SMALL = (
    HEADER + "0;Zarządzanie;;;\n"
    "00;Organy;;;\n"
    "001;Rada;;;\n"
    "0012;Protokoły kontroli;A;Bc;w tym protokoły z sesji\n"
    "0013;Interpelacje;B-10;Bc;\n"
)


def problems_of(data):
    with pytest.raises(JrwaImportError) as raised:
        parse_jrwa(data)
    return [(p.line, translate(p.message, target_language="en")) for p in raised.value.problems]


# --- parsing ---------------------------------------------------------------------


def test_a_correct_file_gives_every_class_with_its_place_in_the_tree():
    classes = {entry.symbol: entry for entry in parse_jrwa(SMALL.encode())}
    assert list(classes) == ["0", "00", "001", "0012", "0013"]
    assert classes["0012"].category == "A"
    assert classes["0012"].remarks == "w tym protokoły z sesji"
    assert classes["0013"].category == "B10"  # written B-10
    assert classes["0012"].is_final and not classes["001"].is_final


def test_the_demo_list_imports_whole():
    assert len(parse_jrwa(DEMO.read_bytes())) == 1549


def test_the_pre_2011_list_is_refused_with_every_defect_named():
    problems = problems_of((DATA / "jrwa-gmina-pre2011.csv").read_bytes())
    assert len(problems) == 42
    assert (23, "The symbol 0050 is already on line 22.") in problems
    assert (212, "The class 0704 has no title.") in problems
    assert (235, "The class 0810 has no parent class 081 in the file.") in problems
    lines = [line for line, _ in problems]
    assert lines == sorted(lines)


def test_the_2011_fragment_is_refused_for_classes_without_categories():
    problems = problems_of((DATA / "jrwa-gmina-2011-fragment.csv").read_bytes())
    assert (
        11,
        "The final class 0006 needs an archival category (A, Bn, BEn or Bc) "
        "for the unit handling the matter.",
    ) in problems
    assert (13, "The class 24 has no parent class 2 in the file.") in problems


@pytest.mark.parametrize(
    "data, expected",
    [
        (b"", (1, "The first line must be the header")),
        (b"symbol,title,category\n0,A,B\n", (1, "The first line must be the header")),
        ((HEADER + "0;Tytuł;X7;;\n").encode(), (2, "X7 is not an archival category")),
        ((HEADER + "0;Tytuł;A;B-;\n").encode(), (2, "B- is not an archival category")),
        ((HEADER + "00a;Tytuł;A;;\n").encode(), (2, "The symbol 00a is not 1 to 5 digits.")),
        ((HEADER + "0;;A;;\n").encode(), (2, "The class 0 has no title.")),
        ((HEADER + "0;???;A;;\n").encode(), (2, "The class 0 has no title.")),
        ((HEADER + "0;T;A;;;extra\n").encode(), (2, "The line has 6 fields")),
        ((HEADER + "0;" + "T" * 501 + ";A;;\n").encode(), (2, "The title is longer than 500")),
        (HEADER.encode(), (0, "The file holds no classes.")),
        ((HEADER + "0;Zarząd;A;;\n").encode("cp1250"), (2, "The file is not UTF-8 text")),
        (b"x" * (5 * 1024 * 1024 + 1), (0, "The file is larger than 5 MB.")),
    ],
)
def test_bad_files_are_refused_with_a_sentence_naming_the_line(data, expected):
    line, start = expected
    problems = problems_of(data)
    assert any(p_line == line and text.startswith(start) for p_line, text in problems), problems


def test_a_utf8_bom_and_blank_lines_are_accepted():
    classes = parse_jrwa(("\ufeff" + HEADER + "\n0;Zarząd;A;Bc;\n\n").encode())
    assert [entry.symbol for entry in classes] == ["0"]


def test_hostile_text_is_kept_as_text():
    classes = parse_jrwa((HEADER + "0;<script>alert(1)</script>;A;;\n").encode())
    assert classes[0].title == "<script>alert(1)</script>"  # escaped where shown


@pytest.mark.parametrize(
    "text, expected",
    [("B-5", "B5"), ("be-10", "BE10"), ("BC", "Bc"), (" A ", "A"), ("b25", "B25"), ("X", "X")],
)
def test_normalise_category(text, expected):
    assert normalise_category(text) == expected


def test_retention_years():
    assert retention_years("A") is None
    assert retention_years("B5") == 5
    assert retention_years("BE50") == 50
    assert retention_years("Bc") == 0


# --- the stored list -------------------------------------------------------------


def test_an_import_replaces_the_whole_list(integration):
    portal = integration["portal"]
    replace_list(portal, parse_jrwa(SMALL), {"filename": "a.csv"})
    assert get_class(portal, "0013").title == "Interpelacje"
    replace_list(portal, parse_jrwa(HEADER + "0;Inny;A;;\n"), {"filename": "b.csv"})
    assert get_class(portal, "0013") is None
    assert [entry.symbol for entry in list_classes(portal)] == ["0"]


def test_the_vocabulary_offers_final_classes_only(integration):
    portal = integration["portal"]
    replace_list(portal, parse_jrwa(SMALL), {"filename": "a.csv"})
    vocabulary = jrwa_classes(portal)
    assert [term.value for term in vocabulary] == ["0012", "0013"]
    assert vocabulary.getTerm("0012").title == "0012 — Protokoły kontroli (A)"


def test_the_export_imports_again_to_the_same_list(integration):
    portal = integration["portal"]
    import_jrwa(portal, DEMO.read_bytes(), "jrwa-demo.csv", "admin")
    exported = export_jrwa(portal)
    assert exported.startswith(HEADER)
    assert parse_jrwa(exported) == list_classes(portal)


# --- the control panel (in Polish: the site root's language) --------------------------


@pytest.fixture
def site(functional):
    return functional["portal"], functional["app"]


def upload(browser, portal, data, button="form.buttons.import", filename="jrwa.csv"):
    browser.open(f"{portal.absolute_url()}/@@ratusz-jrwa")
    control = browser.getControl(name="jrwa_file")
    control.add_file(BytesIO(data), "text/csv", filename)
    browser.getControl(name=button).click()
    return lxml_html.fromstring(browser.contents)


def test_site_administrator_imports_the_list_and_sees_it(site):
    portal, app = site
    browser = browser_for(app, "administrator")
    tree = upload(browser, portal, DEMO.read_bytes(), filename="jrwa-demo.csv")
    assert "Zaimportowano klas JRWA: 1549." in browser.contents
    transaction.begin()
    assert get_class(portal, "0020").category == "B5"
    in_use = " ".join(tree.cssselect("#ratusz-jrwa-in-use")[0].text_content().split())
    assert "Klas: 1549, zaimportowane z pliku jrwa-demo.csv przez administrator" in in_use
    assert len(tree.cssselect("#ratusz-jrwa-classes tbody tr")) == 200
    browser.open(f"{portal.absolute_url()}/@@ratusz-jrwa.csv")
    assert browser.headers["Content-Type"].startswith("text/csv")
    assert (
        len(
            parse_jrwa(
                browser.contents.encode() if isinstance(browser.contents, str) else browser.contents
            )
        )
        == 1549
    )


def test_a_bad_file_lists_its_problems_and_changes_nothing(site):
    portal, app = site
    browser = browser_for(app, "administrator")
    upload(browser, portal, SMALL.encode())
    tree = upload(browser, portal, (DATA / "jrwa-gmina-pre2011.csv").read_bytes())
    assert "Pliku nie zaimportowano: problemów do poprawienia: 42" in browser.contents
    rows = tree.cssselect("#ratusz-jrwa-problems tbody tr")
    assert len(rows) == 42
    assert [td.text_content() for td in rows[0].cssselect("td")] == [
        "23",
        "Symbol 0050 jest już w wierszu 22.",
    ]
    transaction.begin()
    assert [entry.symbol for entry in list_classes(portal)] == ["0", "00", "001", "0012", "0013"]


def test_check_only_changes_nothing(site):
    portal, app = site
    before = list_classes(portal)
    assert len(before) == 1549  # the demo list
    browser = browser_for(app, "administrator")
    upload(browser, portal, SMALL.encode(), button="form.buttons.check")
    assert "Plik jest poprawny: klas 5. Niczego jeszcze nie zmieniono." in browser.contents
    transaction.begin()
    assert list_classes(portal) == before


def test_hostile_titles_are_shown_as_text(site):
    portal, app = site
    browser = browser_for(app, "administrator")
    tree = upload(browser, portal, (HEADER + '0;<img src=x onerror="alert(1)">;A;;\n').encode())
    assert "<img src=x" not in browser.contents
    assert tree.cssselect("#ratusz-jrwa-classes td")[1].text_content() == (
        '<img src=x onerror="alert(1)">'
    )


def test_an_upload_without_a_file_asks_for_one(site):
    portal, app = site
    browser = browser_for(app, "administrator")
    browser.open(f"{portal.absolute_url()}/@@ratusz-jrwa")
    browser.getControl(name="form.buttons.import").click()
    assert "Wybierz plik CSV z JRWA do zaimportowania." in browser.contents


def test_a_post_without_the_csrf_token_is_refused(site):
    portal, app = site
    before = list_classes(portal)
    browser = browser_for(app, "administrator")
    browser.post(
        f"{portal.absolute_url()}/@@ratusz-jrwa",
        "form.buttons.import=1",
    )
    assert browser.headers["status"].startswith("403")
    transaction.begin()
    assert list_classes(portal) == before


@pytest.mark.parametrize("login", [None, "mieszkaniec", "urzednik", "kierownik", "redaktor"])
def test_others_may_not_open_or_export_the_list(site, login):
    portal, app = site
    for view in ("@@ratusz-jrwa", "@@ratusz-jrwa.csv"):
        browser = browser_for(app, login)
        browser.open(f"{portal.absolute_url()}/{view}")
        assert was_refused(browser), (login, view)


def test_the_configlet_is_in_site_setup_for_site_administrators(site):
    portal, _app = site
    actions = api.portal.get_tool("portal_controlpanel").listActions()
    jrwa = [action for action in actions if action.getId() == "ratusz-jrwa"][0]
    assert jrwa.permissions == ("ratusz: Manage JRWA",)
