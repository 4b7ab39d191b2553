"""Who may open a case filed online, its incoming item and its documents (docs/eservices.md,
"Permissions"), checked through HTTP as each demo user; the case stays out of the search of
anonymous visitors and residents, and its public status names no person."""

import json
from datetime import date

import pytest
import transaction
from plone import api

from ratusz.eservices.forms import create_online_form
from ratusz.eservices.submission import SUBMISSIONS
from ratusz.eservices.tracking import THROTTLE
from tests.bip.security_helpers import browser_for
from tests.bip.security_helpers import status_of
from tests.bip.security_helpers import was_refused
from tests.eservices.helpers import FIELDS
from tests.eservices.helpers import PNG

YEAR = date.today().year
SIGN = f"OR.0020.1.{YEAR}"
NAME = "Jan Kowalski"
EMAIL = "jan.kowalski@example.org"
ADDRESS = "ul. Długa 1, Przykładowo"

ANONYMOUS = None
# login -> may open the case, its incoming item and its documents
ACCESS = {
    ANONYMOUS: False,
    "mieszkaniec": False,  # a resident (not even the applicant's account: filing is anonymous)
    "ksiegowa": False,  # a clerk of FN, another department
    "urzednik": True,  # a clerk of OR
    "kierownik": True,  # the head of OR
    "administrator": True,  # a site administrator
    "redaktor": False,  # an editor of the public site
}
# The card names no clerk (its department's heads pick the case up), or the OR clerk.
CLERKS = [None, "urzednik"]


@pytest.fixture
def portal(functional):
    THROTTLE.clear()
    SUBMISSIONS.clear()
    return functional["portal"]


@pytest.fixture
def app(functional):
    return functional["app"]


def make_form(portal, clerk=None):
    with api.env.adopt_roles(["Manager"]):
        card = api.content.create(
            container=portal.pl["e-uslugi"],
            type="ServiceCard",
            id="zaswiadczenie",
            title="Wydanie zaświadczenia",
            description="Zaświadczenie o niezaleganiu.",
            department="OR",
            jrwa="0020",
            case_kind="certificate",
            clerk=clerk,
            life_events=["documents"],
        )
        api.content.transition(obj=card, transition="publish")
        form = create_online_form(card, FIELDS, title="Wniosek o zaświadczenie")
        api.content.transition(obj=form, transition="publish")
    transaction.commit()
    return form


def submit(app, form, login=ANONYMOUS):
    """File the form as ``login`` (anonymous by default); return the tracking key."""
    browser = browser_for(app, login, handle_errors=False)
    browser.open(form.absolute_url())
    browser.getControl(name="form.widgets.applicant_name").value = NAME
    browser.getControl(name="form.widgets.applicant_email").value = EMAIL
    browser.getControl(name="form.widgets.applicant_address").value = ADDRESS
    browser.getControl(name="form.widgets.purpose").value = "Do banku"
    browser.getControl(name="form.widgets.ratusz_privacy_acknowledged:list").value = True
    browser.getControl(name="form.widgets.scan").add_file(PNG, "image/png", "skan.png")
    browser.getControl(name="form.buttons.submit").click()
    contents = browser.contents
    assert SIGN in contents, contents[:3000]
    start = contents.index('id="ratusz-receipt-key"')
    return contents[contents.index(">", start) + 1 : contents.index("</strong>", start)].strip()


@pytest.fixture(params=CLERKS, ids=["no-clerk", "clerk-urzednik"])
def filed(request, portal, app):
    """A submission of an OR card's form: ``{"case", "item", "application", "upload", "key"}``."""
    form = make_form(portal, clerk=request.param)
    key = submit(app, form)
    transaction.begin()
    case = portal.intranet.sprawy[SIGN.lower().replace(".", "-")]
    assert case.clerk == request.param
    files = [obj for obj in case.objectValues() if obj.portal_type == "File"]
    upload = next(obj for obj in files if obj.title == "skan.png")
    application = next(obj for obj in files if obj is not upload)
    item = portal.intranet.kancelaria[case.eservice["item"].replace("/", "-").lower()]
    return {
        "case": case,
        "item": item,
        "application": application,
        "upload": upload,
        "key": key,
        "clerk": request.param,
    }


def can_open(app, url, login):
    """True when ``login`` gets the page at ``url``; False when refused (and nothing else)."""
    browser = browser_for(app, login)
    browser.open(url)
    if status_of(browser) == 200 and browser.url.split("?")[0].rstrip("/") == url.rstrip("/"):
        return True
    assert was_refused(browser), (url, login, browser.url, status_of(browser))
    return False


def body_of(browser):
    contents = browser.contents
    return contents.decode("utf-8", "replace") if isinstance(contents, bytes) else contents


@pytest.mark.parametrize("login", list(ACCESS), ids=lambda login: login or "anonymous")
def test_who_opens_the_case_its_item_and_documents(app, filed, login):
    allowed = ACCESS[login]
    pages = {
        "case": filed["case"].absolute_url(),
        "incoming item": filed["item"].absolute_url(),
        "application": filed["application"].absolute_url(),
        "application download": filed["application"].absolute_url() + "/@@download/file",
        "upload": filed["upload"].absolute_url(),
        "upload download": filed["upload"].absolute_url() + "/@@download/file",
    }
    opened = {what: can_open(app, url, login) for what, url in pages.items()}
    assert opened == dict.fromkeys(pages, allowed)


@pytest.mark.parametrize("login", list(ACCESS), ids=lambda login: login or "anonymous")
def test_who_finds_the_case_in_the_site_search(app, filed, login):
    """Nobody without access finds the case, by its sign or by the party's name; the search
    itself works (staff of OR find the case by its sign with the same query)."""
    for text in (SIGN, "Kowalski"):
        browser = browser_for(app, login)
        browser.addHeader("Accept", "application/json")
        browser.open(f"{app.plone.absolute_url()}/++api++/@search?SearchableText={text}")
        found = json.loads(body_of(browser))
        urls = [item["@id"] for item in found["items"]]
        ours = [
            url
            for url in urls
            if url.startswith(filed["case"].absolute_url())
            or url.startswith(filed["item"].absolute_url())
        ]
        html = browser_for(app, login)
        html.open(f"{app.plone.absolute_url()}/@@search?SearchableText={text}")
        page = body_of(html)
        listed = filed["case"].absolute_url() in page or filed["item"].absolute_url() in page
        if not ACCESS[login]:
            assert ours == [], (text, urls)
            assert not listed, text
        elif text == SIGN:
            assert filed["case"].absolute_url() in ours, (text, urls)


def test_the_status_page_shows_no_person_even_with_the_right_key(app, filed):
    browser = browser_for(app)
    browser.open(f"{app.plone.absolute_url()}/pl/status-sprawy")
    browser.getControl(name="sign").value = SIGN
    browser.getControl(name="key").value = filed["key"]
    browser.getForm(id="ratusz-status-form").submit()
    page = body_of(browser)
    assert 'id="ratusz-status-state"' in page
    api_browser = browser_for(app)
    api_browser.addHeader("Accept", "application/json")
    api_browser.open(
        f"{app.plone.absolute_url()}/++api++/@case-status?sign={SIGN}&key={filed['key']}"
    )
    assert status_of(api_browser) == 200
    status = body_of(api_browser)
    assert json.loads(status)["sign"] == SIGN
    personal = ["Kowalski", EMAIL, "Długa", "Anna Urzędnik", "Piotr Kierownik", "skan.png"]
    if filed["clerk"]:
        personal.append(filed["clerk"])
    for text in personal:
        assert text not in page, text
        assert text not in status, text
    # The applicant's data are not in the status area (the form echoes only the sign).
    section = page[page.index('id="ratusz-status"') :]
    assert "Kowalski" not in section


def test_a_second_resident_with_the_sign_but_not_the_key_learns_nothing(app, filed):
    base = app.plone.absolute_url()
    answers = []
    for key in ("", "AAAA-BBBB-CCCC", filed["key"][:-1] + "2"):
        browser = browser_for(app, "mieszkaniec")
        browser.addHeader("Accept", "application/json")
        browser.open(f"{base}/++api++/@case-status?sign={SIGN}&key={key}")
        assert status_of(browser) == 404, key
        answer = json.loads(body_of(browser))
        assert set(answer) == {"error"} and answer["error"]["type"] == "NotFound"
        answers.append(answer)
    # A sign that does not exist gets the very same answer: nothing tells the sign is real.
    browser = browser_for(app, "mieszkaniec")
    browser.addHeader("Accept", "application/json")
    browser.open(f"{base}/++api++/@case-status?sign=OR.0020.99.{YEAR}&key=AAAA-BBBB-CCCC")
    assert status_of(browser) == 404
    assert json.loads(body_of(browser)) == answers[0]
    for answer in answers:
        text = json.dumps(answer, ensure_ascii=False)
        for word in ("Wydanie zaświadczenia", "Kowalski", "received", "deadline", SIGN):
            assert word not in text, word
    # The page of the tracking form, the same: the error and nothing of the case.
    browser = browser_for(app, "mieszkaniec")
    browser.open(f"{base}/pl/status-sprawy")
    browser.getControl(name="sign").value = SIGN
    browser.getControl(name="key").value = "AAAA-BBBB-CCCC"
    browser.getForm(id="ratusz-status-form").submit()
    page = body_of(browser)
    assert 'id="ratusz-status-error"' in page
    assert 'id="ratusz-status-state"' not in page
    assert "Wydanie zaświadczenia" not in page
