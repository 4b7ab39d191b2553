"""The change register of a BIP root (``/pl/bip/rejestr-zmian``) and its Atom feed, as a
visitor and as the BIP staff read them (zope.testbrowser over the demo site)."""

import time
from datetime import datetime

import pytest
import transaction
from lxml import etree
from lxml import html as lxml_html

from ratusz.bip import changelog
from tests.bip.helpers import edit
from tests.bip.helpers import make_act
from tests.bip.helpers import make_published_act
from tests.bip.pages_fixtures import browser_for

ATOM = {"a": "http://www.w3.org/2005/Atom"}
HOSTILE = '<script>alert("rejestr")</script>'


@pytest.fixture
def site(functional):
    return functional["portal"], functional["app"]


@pytest.fixture
def changes(site):
    """A public act edited with a hostile note, a public page in another section, a draft."""
    portal, _app = site
    act = make_published_act(title="Uchwała o śmieciach", staff=True)
    edit(act, note=f"Zmiana stawek {HOSTILE}", by="redaktor", act_number="I/9/2026")
    statute = make_published_act(
        container=portal.pl.bip["status-prawny"], title="Statut miasta", staff=True
    )
    draft = make_act(title="Projekt tajny", editor="redaktor")
    english = make_published_act(
        container=portal.en.bip["local-law"]["resolutions"], title="Waste resolution", staff=True
    )
    transaction.commit()
    return {"act": act, "statute": statute, "draft": draft, "english": english}


def open_page(app, url, login=None):
    browser = browser_for(app, login, language="en")
    browser.handleErrors = True
    browser.open(url)
    return browser


def text(browser):
    contents = browser.contents
    return contents.decode("utf-8", "replace") if isinstance(contents, bytes) else contents


def rows(browser):
    tree = lxml_html.fromstring(text(browser))
    return tree.cssselect("tr.bip-register-entry")


def uids(browser):
    return [row.get("data-uid") for row in rows(browser)]


def test_anonymous_reads_the_public_changes_newest_first(site, changes):
    portal, app = site
    browser = open_page(app, f"{portal.absolute_url()}/pl/bip/rejestr-zmian")
    assert browser.headers["status"].startswith("200")
    act, statute = changes["act"], changes["statute"]
    listed = rows(browser)
    assert [r.get("data-action") for r in listed if r.get("data-uid") == act.UID()] == [
        "edited",
        "published",
    ]
    assert changes["draft"].UID() not in uids(browser)
    assert "Projekt tajny" not in text(browser)
    assert changes["english"].UID() not in uids(browser)
    assert statute.UID() in uids(browser)
    times = [r.cssselect("time")[0].get("datetime") for r in listed]
    assert times == sorted(times, reverse=True)
    newest = listed[0]
    assert newest.get("data-uid") == statute.UID()
    link = newest.cssselect(".bip-register-item a")[0]
    assert link.get("href") == statute.absolute_url()
    assert newest.cssselect(".bip-register-who")[0].text_content().strip() == "Zofia Sekretarz"
    assert newest.cssselect(".bip-register-section")[0].text_content().strip() == (
        "Status prawny i statut"
    )
    edited = [r for r in listed if r.get("data-action") == "edited"][0]
    version_link = edited.cssselect(".bip-register-version-link")[0].get("href")
    assert version_link == f"{act.absolute_url()}/@@bip-version?version={act.version_id}"


def test_residents_see_the_public_register_staff_see_drafts(site, changes):
    portal, app = site
    url = f"{portal.absolute_url()}/pl/bip/rejestr-zmian"
    for login in ("mieszkaniec", "urzednik", "kierownik"):
        assert changes["draft"].UID() not in uids(open_page(app, url, login)), login
    for login in ("redaktor", "sekretarz", "administrator"):
        assert changes["draft"].UID() in uids(open_page(app, url, login)), login


def test_hostile_note_is_escaped_in_the_register(site, changes):
    portal, app = site
    browser = open_page(app, f"{portal.absolute_url()}/pl/bip/rejestr-zmian")
    assert HOSTILE not in text(browser)
    notes = [r.cssselect(".bip-register-note")[0].text_content() for r in rows(browser)]
    assert f"Zmiana stawek {HOSTILE}" in notes


def test_filters_by_section_and_dates(site, changes):
    portal, app = site
    url = f"{portal.absolute_url()}/pl/bip/rejestr-zmian"
    browser = open_page(app, f"{url}?section=status-prawny")
    assert set(uids(browser)) == {changes["statute"].UID()}
    tree = lxml_html.fromstring(text(browser))
    assert tree.cssselect("#bip-register-section option[selected]")[0].get("value") == (
        "status-prawny"
    )
    today = datetime.now(changelog.site_timezone()).date().isoformat()
    assert changes["act"].UID() in uids(open_page(app, f"{url}?from={today}&to={today}"))
    assert uids(open_page(app, f"{url}?to=2001-01-01")) == []
    # The form's labels name its fields.
    for field in ("bip-register-from", "bip-register-to", "bip-register-section"):
        assert tree.cssselect(f"label[for={field}]")


@pytest.mark.parametrize(
    "query, field",
    [
        ("from=2026-02-30", "from"),
        ("to=yesterday", "to"),
        ("from=2026-03-02&to=2026-03-01", "to"),
        ("from=" + "9" * 5000, "from"),
        ("section=%3Cscript%3Ealert(1)%3C/script%3E", "section"),
        ("from=2026-01-01&from=2026-01-02", "from"),
    ],
)
def test_wrong_filters_get_a_clear_message_not_an_error(site, changes, query, field):
    portal, app = site
    browser = open_page(app, f"{portal.absolute_url()}/pl/bip/rejestr-zmian?{query}")
    assert browser.headers["status"].startswith("400")
    tree = lxml_html.fromstring(text(browser))
    assert tree.cssselect("#bip-register-errors[role=alert]")
    assert tree.cssselect(f"#bip-register-{field}[aria-invalid=true]")
    assert tree.cssselect(f"#bip-register-{field}-error")[0].text_content().strip()
    assert "<script>alert(1)" not in text(browser)
    assert rows(browser) == []


def test_english_register_lists_english_changes(site, changes):
    portal, app = site
    browser = open_page(app, f"{portal.absolute_url()}/en/bip/change-register")
    assert browser.headers["status"].startswith("200")
    listed = uids(browser)
    assert listed.count(changes["english"].UID()) == 1  # its publication (created: a draft)
    polish = {changes["act"].UID(), changes["statute"].UID()}
    assert not polish & set(listed)
    assert "Change register" in text(browser)


def test_atom_feed_is_valid_escaped_and_linked(site, changes):
    portal, app = site
    page = open_page(app, f"{portal.absolute_url()}/pl/bip/rejestr-zmian?section=prawo-lokalne")
    tree = lxml_html.fromstring(text(page))
    link = tree.cssselect('head link[rel=alternate][type="application/atom+xml"]')[0]
    assert link.get("href") == (
        f"{portal.absolute_url()}/pl/bip/rejestr-zmian.atom?section=prawo-lokalne"
    )

    feed = open_page(app, link.get("href"))
    assert feed.headers["Content-Type"].startswith("application/atom+xml")
    assert HOSTILE not in text(feed)
    root = etree.fromstring(
        feed.contents if isinstance(feed.contents, bytes) else feed.contents.encode("utf-8")
    )
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    for required in ("a:id", "a:title", "a:updated", "a:link[@rel='self']"):
        assert root.xpath(required, namespaces=ATOM), required
    entries = root.xpath("a:entry", namespaces=ATOM)
    assert len(entries) == 2  # the act's publication and edit; the statute is elsewhere
    for entry in entries:
        for required in ("a:id", "a:title", "a:updated", "a:author/a:name"):
            assert entry.xpath(required, namespaces=ATOM), required
    summaries = root.xpath("a:entry/a:summary/text()", namespaces=ATOM)
    assert any(HOSTILE in summary for summary in summaries)  # as text, escaped in the XML
    ids = root.xpath("a:entry/a:id/text()", namespaces=ATOM)
    assert len(set(ids)) == 2 and all(i.startswith("urn:uuid:") for i in ids)
    href = root.xpath("a:entry/a:link/@href", namespaces=ATOM)[0]
    assert href.startswith(changes["act"].absolute_url() + "/@@bip-version?version=")


def test_atom_feed_refuses_wrong_filters(site, changes):
    portal, app = site
    feed = open_page(app, f"{portal.absolute_url()}/pl/bip/rejestr-zmian.atom?from=2026-99-99")
    assert feed.headers["status"].startswith("400")
    assert feed.headers["Content-Type"].startswith("text/plain")


def add_entries(items, count):
    """``count`` register entries for ``items`` (real ones), one a minute back from now."""
    register = changelog.get_register()
    now = time.time()
    templates = [changelog.make_entry(item, "edited", "Zmiana", version_id=1) for item in items]
    for number in range(count):
        entry = dict(templates[number % len(templates)])
        entry.update(timestamp=now - 60 * (number + 1), note=f"Zmiana nr {number}")
        entry["version_id"] = number + 1
        register.add(entry)
    transaction.commit()


def test_register_is_batched_by_fifty(site, changes):
    portal, app = site
    url = f"{portal.absolute_url()}/pl/bip/rejestr-zmian"

    def count(browser):
        tree = lxml_html.fromstring(text(browser))
        return int(tree.cssselect("#bip-register-count strong")[0].text_content())

    before = count(open_page(app, url))
    add_entries([changes["act"]], 120)
    first = open_page(app, url)
    assert len(rows(first)) == 50
    assert count(first) == before + 120
    tree = lxml_html.fromstring(text(first))
    next_links = [a.get("href") for a in tree.cssselect(".pagination a")]
    assert any("b_start:int=50" in href or "b_start=50" in href for href in next_links)
    last = open_page(app, f"{url}?b_start=100")
    assert len(rows(last)) == min(50, before + 20)
    assert len(rows(open_page(app, f"{url}?b_start=-5"))) == 50
    assert open_page(app, f"{url}?b_start=abc").headers["status"].startswith("200")


def objects_loaded_while_opening(browser, page, db):
    """How many objects the database loads to render ``page`` from cold caches.

    A count, not a time: the same on a loaded CI machine as on a quiet one.
    How fast the register is lives in benchmarks/bip.py and docs/benchmarks.md.
    """
    db.cacheMinimize()
    storage = db.storage
    loads = []
    original = storage.loadBefore

    def counting(oid, tid):
        loads.append(oid)
        return original(oid, tid)

    storage.loadBefore = counting
    try:
        browser.open(page)
    finally:
        del storage.loadBefore
    return len(set(loads))


def test_register_reads_a_page_of_entries_not_ten_thousand_versions(site, changes):
    portal, app = site
    url = f"{portal.absolute_url()}/pl/bip/rejestr-zmian"
    pages = [url, f"{url}?b_start=5000", f"{url}?section=prawo-lokalne&from=2020-01-01"]
    browser = open_page(app, url)
    db = app._p_jar.db()
    before = [objects_loaded_while_opening(browser, page, db) for page in pages[:1]]
    add_entries([changes["act"], changes["statute"]], 10_000)
    for page in pages:
        loaded = objects_loaded_while_opening(browser, page, db)
        assert len(rows(browser)) == 50
        # Entries live in BTree buckets (about 30 a bucket), not one object each,
        # and no version is woken: far fewer loads than entries. (The newest-first
        # order still reads every bucket of a scope, about 660 loads at 10,000
        # entries; measured, and left for a later change of the key order.)
        assert loaded < before[0] + 10_000 // 10, (page, loaded, before)
