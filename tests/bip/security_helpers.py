"""Test content and browsers for the BIP jobs, audit, permission and hostile-input tests.

Every BIP item type with valid values, created in its section and moved to a
workflow state, and zope.testbrowser browsers logged in as the demo users.
"""

import base64
from datetime import date
from datetime import datetime

import transaction
from plone import api
from plone.app.textfield.value import RichTextValue
from plone.namedfile.file import NamedBlobFile
from plone.testing.zope import Browser

from ratusz.demo import DEMO_USERS

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"

ITEM_TYPES = (
    "BipPage",
    "BipLegalAct",
    "BipAnnouncement",
    "BipProcurement",
    "BipJobVacancy",
    "BipAssetDeclaration",
)

SECTION_OF = {
    "BipPage": "pl/bip/status-prawny",
    "BipLegalAct": "pl/bip/prawo-lokalne/uchwaly",
    "BipAnnouncement": "pl/bip/ogloszenia-i-obwieszczenia",
    "BipProcurement": "pl/bip/zamowienia-publiczne",
    "BipJobVacancy": "pl/bip/nabor-na-stanowiska",
    "BipAssetDeclaration": "pl/bip/oswiadczenia-majatkowe",
}

METADATA = {
    "bip_produced_by": "Jan Kowalski, inspektor",
    "bip_producing_unit": "Wydział Organizacyjny",
    "bip_responsible": "Zofia Sekretarz, Sekretarz Miasta",
    "bip_date_produced": date(2026, 1, 5),
}

# How to reach each state from draft, as a BIP administrator would.
PATH_TO = {
    "draft": (),
    "pending": ("submit",),
    "published": ("publish",),
    "archived": ("publish", "archive"),
}


def pdf_file(name="akt.pdf"):
    return NamedBlobFile(data=PDF, filename=name, contentType="application/pdf")


def html(text):
    return RichTextValue(text, "text/html", "text/x-html-safe")


def own_fields(portal_type):
    """Valid values of the type's own fields (Python objects, for api.content.create)."""
    return {
        "BipPage": lambda: {"text": html("<p>Statut miasta.</p>")},
        "BipLegalAct": lambda: {
            "act_kind": "resolution",
            "act_number": "XII/123/2026",
            "act_date": date(2026, 1, 5),
            "act_body": "council",
            "act_status": "in_force",
            "act_file": pdf_file(),
        },
        "BipAnnouncement": lambda: {
            "announcement_kind": "announcement",
            "valid_from": date(2026, 1, 1),
            "valid_to": date(2099, 12, 31),
            "text": html("<p>Ogłoszenie.</p>"),
        },
        "BipProcurement": lambda: {
            "reference_number": "ZP.271.12.2026",
            "procedure": "basic",
            "value_range": "national",
            "offers_deadline": datetime(2026, 3, 1, 10, 0),
            "procurement_status": "open",
        },
        "BipJobVacancy": lambda: {
            "position": "Inspektor",
            "unit": "Wydział Organizacyjny",
            "requirements": html("<p>Wykształcenie wyższe.</p>"),
            "deadline": datetime(2026, 3, 1, 15, 0),
            "vacancy_status": "open",
        },
        "BipAssetDeclaration": lambda: {
            "person": "Jan Nowak",
            "office": "Radny",
            "declaration_year": 2025,
            "declaration_kind": "annual",
            "declaration_file": pdf_file("oswiadczenie.pdf"),
            "private_data_removed": True,
        },
    }[portal_type]()


def create_item(portal, portal_type, item_id, state="draft", metadata=True, **fields):
    """Create a BIP item in its section, in ``state`` (as a Manager); return it.

    >>> create_item(portal, "BipAnnouncement", "a1", "published", valid_to=date(2020, 1, 1))
    """
    values = {**own_fields(portal_type), **(METADATA if metadata else {}), **fields}
    with api.env.adopt_roles(["Manager"]):
        section = portal.unrestrictedTraverse(SECTION_OF[portal_type])
        obj = api.content.create(
            container=section,
            type=portal_type,
            id=item_id,
            title=fields.pop("title", f"{portal_type} {item_id}"),
            language="pl",
            **values,
        )
        for transition in PATH_TO[state]:
            api.content.transition(obj=obj, transition=transition)
    return obj


def browser_for(app, login=None, handle_errors=True):
    """A zope.testbrowser browser, anonymous or logged in (Basic auth) as a demo user."""
    browser = Browser(app)
    browser.handleErrors = handle_errors
    browser.raiseHttpErrors = False
    browser.addHeader("Accept-Language", "en")
    if login:
        browser.addHeader("Authorization", f"Basic {login}:{DEMO_USERS[login][2]}")
    return browser


def status_of(browser):
    return int(browser.headers["status"].split()[0])


def was_refused(browser):
    """True when the browser was sent to log in or shown "insufficient privileges"."""
    contents = browser.contents
    if isinstance(contents, bytes):
        contents = contents.decode("utf-8", "replace")
    return (
        status_of(browser) in (401, 403)
        or "require_login" in browser.url
        or "/login" in browser.url
        or "insufficient" in contents.lower()
    )


def sync():
    """See what the test browser's requests committed."""
    transaction.begin()


def rest(app, method, url, login=None, body=None):
    """A plone.restapi call through the publisher; returns the webtest response.

    >>> rest(app, "POST", f"{item_url}/@workflow/publish", "sekretarz").status_int
    400
    """
    caller = browser_for(app).testapp
    headers = {"Accept": "application/json", "Accept-Language": "en"}
    if login:
        credentials = base64.b64encode(f"{login}:{DEMO_USERS[login][2]}".encode()).decode()
        headers["Authorization"] = f"Basic {credentials}"
    if method in ("POST", "PATCH"):
        send = caller.post_json if method == "POST" else caller.patch_json
        return send(url, body or {}, headers=headers, expect_errors=True)
    return caller.request(url, method=method, headers=headers, expect_errors=True)
