"""Test content for the BIP pages: items created by the BIP editor, published by
the BIP administrator (the demo users), and a zope.testbrowser per role."""

from datetime import date

import transaction
from plone import api
from plone.app.textfield.value import RichTextValue
from plone.namedfile.file import NamedBlobFile
from plone.testing.zope import Browser

from ratusz.demo import DEMO_USERS

PDF = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)

METADATA = {
    "bip_produced_by": "Jan Kowalski, inspektor",
    "bip_producing_unit": "Wydział Organizacyjny",
    "bip_responsible": "Zofia Sekretarz, Sekretarz Miasta",
    "bip_date_produced": date(2026, 3, 2),
}


def html(text):
    return RichTextValue(text, "text/html", "text/x-html-safe")


def pdf(filename="akt.pdf"):
    return NamedBlobFile(data=PDF, filename=filename, contentType="application/pdf")


def create_item(container, portal_type, item_id, title, state="published", **fields):
    """An item entered by ``redaktor`` and brought to ``state`` by ``sekretarz``.

    >>> create_item(portal.pl.bip.petycje, "BipPage", "p", "Petycja", state="draft")
    """
    values = {**METADATA, **fields}
    with api.env.adopt_user(username="redaktor"):
        item = api.content.create(
            container=container, type=portal_type, id=item_id, title=title, **values
        )
    transitions = {"draft": [], "published": ["publish"], "archived": ["publish", "archive"]}
    with api.env.adopt_user(username="sekretarz"):
        for transition in transitions[state]:
            api.content.transition(obj=item, transition=transition)
    return item


def create_section(container, section_id, title, state="published", **fields):
    with api.env.adopt_user(username="sekretarz"):
        section = api.content.create(
            container=container, type="BipSection", id=section_id, title=title, **fields
        )
        if state == "published":
            api.content.transition(obj=section, transition="publish")
    return section


def browser_for(app, login=None, language=None, handle_errors=False):
    """A testbrowser that does not raise on 4xx/5xx; logged in with Basic auth if asked.

    ``handle_errors=True`` lets Zope render its error pages (and redirect to
    the login form) as a visitor would see them.
    """
    browser = Browser(app)
    browser.handleErrors = handle_errors
    browser.raiseHttpErrors = False
    if login:
        browser.addHeader("Authorization", f"Basic {login}:{DEMO_USERS[login][2]}")
    if language:
        browser.addHeader("Accept-Language", language)
    return browser


def commit():
    transaction.commit()
