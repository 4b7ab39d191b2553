"""The BIP pages as a visitor reads them: the BIP home, sections, every item type.

Functional tests over the demo site (zope.testbrowser against the WSGI app).
Polish pages are checked by ids, links and data; English msgids on /en/bip.
"""

from contextlib import contextmanager
from datetime import date
from datetime import datetime
from datetime import timedelta

import pytest
from lxml import html as lxml_html
from plone import api
from plone.namedfile.file import NamedBlobFile
from Products.Five.browser import BrowserView
from zope.component import getGlobalSiteManager
from zope.interface import Interface

from ratusz.bip.interfaces import IBipSection
from ratusz.interfaces import IRatuszLayer
from tests.bip.pages_fixtures import browser_for
from tests.bip.pages_fixtures import commit
from tests.bip.pages_fixtures import create_item
from tests.bip.pages_fixtures import create_section
from tests.bip.pages_fixtures import html
from tests.bip.pages_fixtures import pdf

REGISTER_VIEW = "bip-register-table"


@pytest.fixture
def site(functional):
    return functional["portal"], functional["app"]


def open_page(app, url, login=None, language=None):
    browser = browser_for(app, login, language)
    browser.open(url)
    return browser, lxml_html.fromstring(browser.contents)


def texts(tree, selector):
    return [" ".join(el.text_content().split()) for el in tree.cssselect(selector)]


# --- the BIP home -------------------------------------------------------------


def test_bip_home_shows_search_instruction_and_editorial_office(site):
    portal, app = site
    browser, tree = open_page(app, f"{portal.absolute_url()}/pl/bip")
    assert browser.headers["status"].startswith("200")
    root_url = f"{portal.absolute_url()}/pl/bip"

    search = tree.cssselect("form#ratusz-bip-search")[0]
    assert search.get("action") == f"{root_url}/@@bip-search"
    assert search.get("method") == "get"
    field = search.cssselect("input[name=SearchableText]")[0]
    assert search.cssselect(f"label[for={field.get('id')}]")

    instruction = tree.cssselect("#ratusz-bip-instruction-link")[0]
    assert instruction.get("href") == f"{root_url}/instrukcja-obslugi"

    editorial = tree.cssselect("section#redakcja")[0]
    assert "Redakcja BIP Urzędu Miasta Przykładowo" in editorial.text_content()
    assert "ul. Rynek 1, 99-999 Przykładowo" in editorial.text_content()
    assert texts(editorial, ".ratusz-bip-editor-name") == ["Zofia Sekretarz, Sekretarz Miasta"]
    phone = editorial.cssselect("a.ratusz-bip-editor-phone")[0]
    assert phone.get("href") == "tel:+48991234560"
    assert phone.text_content() == "+48 99 123 45 60"
    email = editorial.cssselect("a.ratusz-bip-editor-email")[0]
    assert email.get("href") == "mailto:bip@przykladowo.example"

    # The menu and the logo come with the viewlets of every BIP page.
    assert tree.cssselect("nav#ratusz-bip-menu a[data-section=prawo-lokalne]")
    assert tree.cssselect("#ratusz-bip-header a[href='https://www.bip.gov.pl'] img")


def test_english_bip_home_links_its_own_instruction(site):
    portal, app = site
    _browser, tree = open_page(app, f"{portal.absolute_url()}/en/bip")
    instruction = tree.cssselect("#ratusz-bip-instruction-link")[0]
    assert instruction.get("href") == f"{portal.absolute_url()}/en/bip/how-to-use"
    assert instruction.text_content() == "How to use the BIP"
    assert texts(tree, "#redakcja h2") == ["BIP editorial office"]
    assert texts(tree, "label[for=ratusz-bip-search-text]") == ["Search the BIP"]


def test_bip_home_lists_recently_published_items_only(site):
    portal, app = site
    statute = portal.pl.bip["status-prawny"]
    create_item(statute, "BipPage", "statut", "Statut Miasta Przykładowo")
    create_item(statute, "BipPage", "projekt", "Projekt zmian statutu", state="draft")
    commit()
    _browser, tree = open_page(app, f"{portal.absolute_url()}/pl/bip")
    latest = texts(tree, "#ratusz-bip-latest .ratusz-bip-item-link")
    assert "Statut Miasta Przykładowo" in latest
    assert "Projekt zmian statutu" not in latest


# --- a plain section ------------------------------------------------------------


@pytest.fixture
def announcements(site):
    """Three items of a plain section (no register): published, archived and a draft."""
    portal, _app = site
    section = portal.pl.bip["rejestry-i-ewidencje"]
    create_item(section, "BipPage", "stare", "Rejestr umów 2025", state="archived")
    create_item(
        section,
        "BipPage",
        "nowe",
        "Rejestr umów 2026",
        description="Umowy zawarte przez urząd w 2026 roku.",
    )
    create_item(section, "BipPage", "szkic", "Szkic rejestru", state="draft")
    commit()
    return section


def test_section_lists_current_items_with_date_and_type(site, announcements):
    portal, app = site
    url = announcements.absolute_url()
    _browser, tree = open_page(app, url)
    titles = texts(tree, "#ratusz-bip-items .ratusz-bip-item-link")
    assert titles == ["Rejestr umów 2026"]
    row = tree.cssselect("#ratusz-bip-items li.ratusz-bip-item")[0]
    effective = announcements["nowe"].effective_date
    assert row.cssselect("time")[0].get("datetime") == effective.strftime("%Y-%m-%d")
    assert texts(row, ".ratusz-bip-item-description") == ["Umowy zawarte przez urząd w 2026 roku."]
    assert texts(row, ".ratusz-bip-item-type")[0]
    assert tree.cssselect("#ratusz-bip-archive-link")[0].get("href") == f"{url}?archive=1"


def test_section_archive_lists_archived_items(site, announcements):
    portal, app = site
    _browser, tree = open_page(app, f"{announcements.absolute_url()}?archive=1")
    assert texts(tree, "#ratusz-bip-items .ratusz-bip-item-link") == ["Rejestr umów 2025"]
    assert tree.cssselect("#ratusz-bip-current-link")


def test_bip_editor_sees_drafts_in_the_section(site, announcements):
    portal, app = site
    _browser, tree = open_page(app, announcements.absolute_url(), login="redaktor")
    titles = texts(tree, "#ratusz-bip-items .ratusz-bip-item-link")
    assert "Szkic rejestru" in titles
    assert "Rejestr umów 2025" not in titles


@pytest.mark.parametrize("login", [None, "mieszkaniec", "urzednik", "kierownik"])
def test_public_never_sees_drafts_in_the_section(site, announcements, login):
    portal, app = site
    _browser, tree = open_page(app, announcements.absolute_url(), login=login)
    assert "Szkic rejestru" not in tree.text_content()


def test_section_sorts_newest_first_and_survives_a_bad_page_number(site):
    portal, app = site
    section = portal.pl.bip["kontrole"]
    first = create_item(section, "BipPage", "kontrola-1", "Kontrola pierwsza")
    second = create_item(section, "BipPage", "kontrola-2", "Kontrola druga")
    first.setEffectiveDate(first.effective_date - 10)
    first.reindexObject()
    commit()
    assert second.effective_date > first.effective_date
    for query in ("", "?b_start=abc", "?b_start=-5", "?b_start=999999", "?archive=<script>"):
        browser, tree = open_page(app, f"{section.absolute_url()}{query}")
        assert browser.headers["status"].startswith("200"), query
        assert texts(tree, "#ratusz-bip-items .ratusz-bip-item-link") == [
            "Kontrola druga",
            "Kontrola pierwsza",
        ], query
    assert "<script>" not in browser.contents


def test_section_shows_introduction_and_published_subsections_only(site):
    portal, app = site
    organs = portal.pl.bip.organy
    organs.text = html("<p id='wstep'>Organy gminy to rada i prezydent.</p>")
    create_section(organs, "komisja-rewizyjna", "Komisja rewizyjna", state="draft")
    commit()
    _browser, tree = open_page(app, organs.absolute_url())
    assert texts(tree, ".ratusz-bip-introduction #wstep") == ["Organy gminy to rada i prezydent."]
    subsections = texts(tree, "#ratusz-bip-subsections li > a")
    assert subsections == ["Prezydent Miasta", "Rada Miasta"]

    _browser, tree = open_page(app, organs.absolute_url(), login="sekretarz")
    assert "Komisja rewizyjna" in texts(tree, "#ratusz-bip-subsections li > a")
    assert tree.cssselect("li.state-draft .ratusz-bip-draft-label")


def test_draft_section_is_not_found_by_anonymous(site):
    portal, app = site
    create_section(portal.pl.bip, "w-przygotowaniu", "Dział w przygotowaniu", state="draft")
    commit()
    browser = browser_for(app)
    browser.handleErrors = True
    browser.open(f"{portal.absolute_url()}/pl/bip/w-przygotowaniu")
    assert "Dział w przygotowaniu" not in browser.contents
    assert "login" in browser.url or browser.headers["status"].startswith(("401", "403", "404"))


class FakeRegisterTable(BrowserView):
    def __call__(self):
        return '<table id="fake-register"><caption>Register</caption></table>'


def no_register_table(context, request):
    """A factory returning None: to queryMultiAdapter, no view at all."""
    return None


@contextmanager
def register_table_view(factory):
    """Put ``factory`` in place of the bip-register-table view for the block.

    The layer's registry is stacked on the one that holds the real view, so
    registering here shadows it and unregistering brings it back.
    """
    gsm = getGlobalSiteManager()
    required = (IBipSection, IRatuszLayer)
    gsm.registerAdapter(factory, required, Interface, REGISTER_VIEW)
    try:
        yield
    finally:
        gsm.unregisterAdapter(factory, required, Interface, REGISTER_VIEW)


@pytest.fixture
def resolutions(site):
    portal, _app = site
    section = portal.pl.bip["prawo-lokalne"].uchwaly
    create_item(
        section,
        "BipLegalAct",
        "uchwala-1",
        "Uchwała nr I/1/2026",
        act_kind="resolution",
        act_number="I/1/2026",
        act_date=date(2026, 1, 10),
        act_body="council",
        act_file=pdf(),
    )
    commit()
    return section


def test_register_section_embeds_the_register_table(site, resolutions):
    portal, app = site
    with register_table_view(FakeRegisterTable):
        _browser, tree = open_page(app, resolutions.absolute_url())
    assert tree.cssselect("#ratusz-bip-register table#fake-register")
    assert not tree.cssselect("#ratusz-bip-items")


def test_register_section_falls_back_to_the_plain_list(site, resolutions):
    portal, app = site
    with register_table_view(no_register_table):
        _browser, tree = open_page(app, resolutions.absolute_url())
    assert not tree.cssselect("#ratusz-bip-register")
    assert texts(tree, "#ratusz-bip-items .ratusz-bip-item-link") == ["Uchwała nr I/1/2026"]


# --- item views -------------------------------------------------------------------


def facts(tree):
    """{dt text: dd text} of the item's definition list."""
    return {
        " ".join(div.cssselect("dt")[0].text_content().split()): " ".join(
            div.cssselect("dd")[0].text_content().split()
        )
        for div in tree.cssselect("#ratusz-bip-facts > div")
    }


def time_of(tree, fact_name):
    return tree.cssselect(f"#ratusz-bip-fact-{fact_name} time")[0].get("datetime")


def test_legal_act_page_shows_its_fields_and_pdf(site):
    portal, app = site
    orders = portal.en.bip["local-law"].orders
    act = create_item(
        orders,
        "BipLegalAct",
        "order-45",
        "Order No 45/2026 on the budget",
        act_kind="order",
        act_number="45/2026",
        act_date=date(2026, 3, 10),
        act_body="mayor",
        act_status="in_force",
        act_file=pdf("order-45-2026.pdf"),
        text=html("<p>The mayor orders a change of the budget.</p>"),
    )
    commit()
    _browser, tree = open_page(app, act.absolute_url())
    shown = facts(tree)
    assert list(shown) == ["Kind of act", "Number", "Date of the act", "Issued by", "Status"]
    assert shown["Kind of act"] == "Order (zarządzenie)"
    assert shown["Number"] == "45/2026"
    assert shown["Issued by"] == "Mayor"
    assert shown["Status"] == "In force"
    assert time_of(tree, "act_date") == "2026-03-10"
    link = tree.cssselect("#ratusz-bip-document-link")[0]
    assert link.get("href") == f"{act.absolute_url()}/@@download/act_file/order-45-2026.pdf"
    assert "order-45-2026.pdf" in texts(tree, ".ratusz-bip-document .ratusz-bip-file-info")[0]
    assert "KB" in texts(tree, ".ratusz-bip-document .ratusz-bip-file-info")[0]
    assert "The mayor orders a change of the budget." in texts(tree, "#ratusz-bip-text-text")[0]

    download = browser_for(app)
    download.open(link.get("href"))
    assert download.headers["status"].startswith("200")
    assert download.headers["content-type"].startswith("application/pdf")


def test_legal_act_relations_both_ways(site):
    portal, app = site
    resolutions = portal.pl.bip["prawo-lokalne"].uchwaly

    def act(act_id, title, number, **fields):
        return create_item(
            resolutions,
            "BipLegalAct",
            act_id,
            title,
            act_kind="resolution",
            act_number=number,
            act_date=date(2026, 1, 10),
            act_body="council",
            act_file=pdf(),
            **fields,
        )

    old = act("stara", "Uchwała w sprawie targowisk", "V/40/2025", act_status="amended")
    new = act("nowa", "Uchwała zmieniająca", "XII/120/2026")
    draft = act("projekt", "Projekt uchwały uchylającej", "XIII/1/2026", state="draft")
    # Setup, not the feature: a Manager links the acts (the edit form is another part).
    with api.env.adopt_roles(["Manager"]):
        api.relation.create(source=old, target=new, relationship="amended_by")
        api.relation.create(source=old, target=draft, relationship="repealed_by")
    commit()

    _browser, tree = open_page(app, old.absolute_url())
    assert texts(tree, "#ratusz-bip-amended-by a") == ["Uchwała zmieniająca"]
    assert "XII/120/2026" in texts(tree, "#ratusz-bip-amended-by li")[0]
    # A draft act is the editors' business until it is published.
    assert not tree.cssselect("#ratusz-bip-repealed-by")
    assert "Projekt uchwały uchylającej" not in tree.text_content()

    _browser, tree = open_page(app, new.absolute_url())
    links = tree.cssselect("#ratusz-bip-amends a")
    assert [a.text_content() for a in links] == ["Uchwała w sprawie targowisk"]
    assert links[0].get("href") == old.absolute_url()

    _browser, tree = open_page(app, old.absolute_url(), login="sekretarz")
    assert texts(tree, "#ratusz-bip-repealed-by a") == ["Projekt uchwały uchylającej"]
    _browser, tree = open_page(app, draft.absolute_url(), login="sekretarz")
    assert texts(tree, "#ratusz-bip-repeals a") == ["Uchwała w sprawie targowisk"]


def test_announcement_page_shows_kind_and_period(site):
    portal, app = site
    notice = create_item(
        portal.en.bip.announcements,
        "BipAnnouncement",
        "notice",
        "Notice of a public consultation",
        announcement_kind="notice",
        valid_from=date(2026, 3, 1),
        valid_to=date(2026, 3, 31),
        text=html("<p>Residents may comment until the end of March.</p>"),
    )
    commit()
    _browser, tree = open_page(app, notice.absolute_url())
    shown = facts(tree)
    assert shown["Kind"] == "Public notice (obwieszczenie)"
    assert time_of(tree, "valid_from") == "2026-03-01"
    assert time_of(tree, "valid_to") == "2026-03-31"
    assert "Residents may comment" in texts(tree, "#ratusz-bip-text-text")[0]


def test_procurement_page_shows_deadline_status_and_attachments(site):
    portal, app = site
    procurement = create_item(
        portal.en.bip["public-procurement"],
        "BipProcurement",
        "roads",
        "Repair of municipal roads",
        reference_number="ZP.271.12.2026",
        procedure="basic",
        value_range="national",
        offers_deadline=datetime(2020, 5, 4, 12, 0),
        procurement_status="awarded",
        text=html("<p>Repairs of 12 km of roads.</p>"),
        result=html("<p>Awarded to Drogbud sp. z o.o.</p>"),
    )
    with api.env.adopt_user(username="redaktor"):
        api.content.create(
            container=procurement,
            type="File",
            id="swz",
            title="Specification (SWZ)",
            file=NamedBlobFile(data=b"%PDF-1.4 swz", filename="swz.pdf"),
        )
    commit()
    _browser, tree = open_page(app, procurement.absolute_url())
    shown = facts(tree)
    assert shown["Reference number"] == "ZP.271.12.2026"
    assert shown["Procedure"] == "Basic procedure (tryb podstawowy)"
    assert shown["Estimated value"] == "From 130,000 PLN to the EU thresholds"
    assert shown["Status"] == "Awarded"
    assert time_of(tree, "offers_deadline") == "2020-05-04T12:00"
    assert tree.cssselect("#ratusz-bip-fact-offers_deadline .ratusz-bip-deadline-passed")
    assert texts(tree, "#ratusz-bip-text-result h2") == ["Result"]
    assert "Drogbud" in texts(tree, "#ratusz-bip-text-result")[0]
    attachment = tree.cssselect("#ratusz-bip-attachments a")[0]
    assert attachment.text_content() == "Specification (SWZ)"
    assert attachment.get("href") == f"{procurement.absolute_url()}/swz/@@download/file"
    assert "PDF" in texts(tree, "#ratusz-bip-attachments .ratusz-bip-file-info")[0]


def test_job_vacancy_page_shows_an_open_deadline(site):
    portal, app = site
    vacancy = create_item(
        portal.en.bip["job-vacancies"],
        "BipJobVacancy",
        "inspector",
        "Inspector in the Department of Planning",
        position="Inspector",
        unit="Department of Planning",
        requirements=html("<p>A master's degree in spatial planning.</p>"),
        deadline=datetime.now() + timedelta(days=14),
    )
    commit()
    _browser, tree = open_page(app, vacancy.absolute_url())
    shown = facts(tree)
    assert shown["Position"] == "Inspector"
    assert shown["Unit"] == "Department of Planning"
    assert shown["Status"] == "Open for applications"
    assert tree.cssselect("#ratusz-bip-fact-deadline .ratusz-bip-deadline-open")
    assert not tree.cssselect(".ratusz-bip-deadline-passed")
    assert "master's degree" in texts(tree, "#ratusz-bip-text-requirements")[0]


def test_asset_declaration_page_shows_person_year_and_pdf(site):
    portal, app = site
    declaration = create_item(
        portal.en.bip["asset-declarations"],
        "BipAssetDeclaration",
        "mayor-2025",
        "Asset declaration of the Mayor for 2025",
        person="Adam Nowak",
        office="Mayor",
        declaration_year=2025,
        declaration_kind="annual",
        declaration_file=pdf("nowak-2025.pdf"),
        private_data_removed=True,
    )
    commit()
    _browser, tree = open_page(app, declaration.absolute_url())
    assert facts(tree) == {
        "Person": "Adam Nowak",
        "Office or position": "Mayor",
        "Year": "2025",
        "Kind of declaration": "Annual",
    }
    link = tree.cssselect("#ratusz-bip-document-link")[0]
    assert link.get("href").endswith("/@@download/declaration_file/nowak-2025.pdf")


def test_bip_page_shows_its_text_without_a_heading(site):
    portal, app = site
    page = create_item(
        portal.pl.bip["budzet-i-finanse"],
        "BipPage",
        "budzet-2026",
        "Budżet miasta na 2026 rok",
        text=html("<p>Dochody: 120 mln zł.</p>"),
    )
    commit()
    _browser, tree = open_page(app, page.absolute_url())
    assert texts(tree, "#ratusz-bip-text-text") == ["Dochody: 120 mln zł."]
    assert not tree.cssselect("#ratusz-bip-text-text h2")
    assert not tree.cssselect("#ratusz-bip-facts")


def test_hostile_stored_values_render_escaped(site):
    portal, app = site
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    page = create_item(
        portal.pl.bip.petycje,
        "BipPage",
        "petycja",
        hostile,
        description=hostile,
        text=html(f"<p>Treść</p>{hostile}"),
    )
    with api.env.adopt_user(username="redaktor"):
        api.content.create(container=page, type="File", id="zalacznik", title=hostile)
    commit()
    for url in (page.absolute_url(), page.aq_parent.absolute_url(), portal.pl.bip.absolute_url()):
        browser, tree = open_page(app, url)
        assert browser.headers["status"].startswith("200"), url
        assert not [s for s in tree.cssselect("script") if "alert" in (s.text or "")], url
        assert not tree.cssselect("[onerror]"), url
        assert hostile in tree.text_content(), url


# --- links to the request form and to the staff pages --------------------------


@pytest.mark.parametrize(
    "path", ["pl/bip/informacje-nieudostepnione", "en/bip/information-on-request"]
)
def test_not_published_section_links_to_the_request_form(site, path):
    portal, app = site
    _browser, tree = open_page(app, f"{portal.absolute_url()}/{path}")
    links = tree.cssselect("#ratusz-bip-request-form-link")
    assert [link.get("href") for link in links] == [
        f"{portal.absolute_url()}/{path}/request-information"
    ]


def test_other_sections_have_no_request_form_link(site):
    portal, app = site
    _browser, tree = open_page(app, f"{portal.absolute_url()}/pl/bip/majatek")
    assert tree.cssselect("#ratusz-bip-request-form-link") == []


@pytest.mark.parametrize(
    "login, expected",
    [
        (None, []),
        ("mieszkaniec", []),
        ("urzednik", []),
        ("redaktor", []),
        ("sekretarz", ["ratusz-bip-requests-link", "ratusz-bip-audit-link"]),
        ("administrator", ["ratusz-bip-requests-link", "ratusz-bip-audit-link"]),
    ],
)
def test_bip_home_links_staff_pages_for_those_allowed(site, login, expected):
    portal, app = site
    _browser, tree = open_page(app, f"{portal.absolute_url()}/pl/bip", login)
    links = tree.cssselect(".ratusz-bip-staff-links a")
    assert [link.get("id") for link in links] == expected
    for link in links:
        browser = browser_for(app, login)
        browser.open(link.get("href"))
        assert browser.headers["status"].startswith("200")
