"""Documents in a case: notes, outgoing letters from templates through approval to
dispatch, each step in the record; who may do what with a letter."""

from datetime import date
from datetime import timedelta

import pytest
import transaction
from plone import api

from ratusz.cases.case import audit_trail
from ratusz.cases.case import create_case
from ratusz.cases.documents import DocumentError
from ratusz.cases.documents import add_note
from ratusz.cases.documents import approve_letter
from ratusz.cases.documents import dispatch_letter
from ratusz.cases.documents import document_reference
from ratusz.cases.documents import draft_letter
from ratusz.cases.documents import fill_template
from ratusz.cases.documents import return_letter
from ratusz.cases.documents import sign_letter
from ratusz.cases.documents import submit_letter
from tests.bip.security_helpers import browser_for
from tests.bip.security_helpers import rest
from tests.bip.security_helpers import sync
from tests.bip.security_helpers import was_refused

TODAY = date.today()
YEAR = TODAY.year


@pytest.fixture
def case(functional):
    with api.env.adopt_user(username="urzednik"):
        return create_case(
            functional["portal"].intranet.sprawy,
            title="Wydanie zaświadczenia o zameldowaniu",
            department="OR",
            jrwa="0020",
            kind="certificate",
            parties=["Jan Kowalski, ul. Długa 1, 00-001 Przykładowo"],
        )


def as_user(login):
    return api.env.adopt_user(username=login)


def state(obj):
    return api.content.get_state(obj)


def test_a_note_is_numbered_in_the_case_and_recorded(case):
    with as_user("urzednik"):
        note = add_note(case, "Rozmowa telefoniczna", "Strona doniesie dokument.")
        second = add_note(case, "Druga notatka", "Treść")
    assert document_reference(note) == f"{case.sign}/1"
    assert document_reference(second) == f"{case.sign}/2"
    entry = audit_trail(case)[-2]
    assert (entry["action"], entry["document"], entry["note"]) == (
        "Note added",
        f"{case.sign}/1",
        "Rozmowa telefoniczna",
    )


@pytest.mark.parametrize(
    "title, text, field",
    [
        ("", "Treść", "title"),
        ("Tytuł", "   ", "text"),
        ("<script>alert(1)</script>", "Treść", "title"),
        ("Tytuł", "x" * 20001, "text"),
    ],
)
def test_bad_notes_are_refused_and_nothing_is_added(case, title, text, field):
    with as_user("urzednik"), pytest.raises(DocumentError) as raised:
        add_note(case, title, text)
    assert raised.value.field == field
    assert [o.portal_type for o in case.objectValues()] == []
    assert [e["action"] for e in audit_trail(case)] == ["Case opened"]


def test_a_clerk_of_another_department_adds_nothing(case):
    with as_user("ksiegowa"), pytest.raises(DocumentError):
        add_note(case, "Notatka", "Treść")


def test_a_template_fills_in_the_case(case):
    text = fill_template("reply", case)
    assert text.splitlines()[0] == f"Znak sprawy: {case.sign}"
    assert "Wydanie zaświadczenia o zameldowaniu" in text
    assert "Anna Urzędnik, Wydział Organizacyjny" in text
    assert "Urząd Miasta Przykładowo" in text
    delay = fill_template("delay", case)
    assert "art. 36" in delay and "ponaglenie" in delay


def test_a_letter_from_draft_to_dispatch_with_a_return(case, functional):
    with as_user("urzednik"):
        letter = draft_letter(case, "Odpowiedź", template="reply")
    assert letter.recipient == "Jan Kowalski, ul. Długa 1, 00-001 Przykładowo"
    assert letter.body.startswith(f"Znak sprawy: {case.sign}")
    assert state(letter) == "draft"
    with as_user("urzednik"):
        submit_letter(letter)
        # The clerk may neither approve nor change the letter once it is with the head.
        with pytest.raises(DocumentError):
            approve_letter(letter)
        assert not api.user.has_permission("Modify portal content", obj=letter)
    with as_user("kierownik"):
        with pytest.raises(DocumentError) as no_comments:
            return_letter(letter, "  ")
        assert no_comments.value.field == "comments"
        return_letter(letter, "Proszę dodać podstawę prawną")
    assert state(letter) == "draft"
    with as_user("urzednik"):
        letter.body += "\nPodstawa prawna: art. 217 KPA"
        submit_letter(letter)
    with as_user("kierownik"):
        approve_letter(letter, "Akceptuję")
    with as_user("urzednik"):
        with pytest.raises(DocumentError) as not_signed:
            dispatch_letter(letter, "post")
        assert not_signed.value.field is None
        sign_letter(letter)
        with pytest.raises(DocumentError) as wrong_channel:
            dispatch_letter(letter, "gołąb pocztowy")
        assert wrong_channel.value.field == "channel"
        with pytest.raises(DocumentError) as future:
            dispatch_letter(letter, "post", TODAY + timedelta(days=1))
        assert future.value.field == "dispatched_on"
        dispatch_letter(letter, "post", TODAY)
    assert state(letter) == "dispatched"
    assert (letter.channel, letter.dispatched_on) == ("post", TODAY)
    reference = f"{case.sign}/1"
    steps = [(e["action"], e["name"]) for e in audit_trail(case) if e["document"] == reference]
    assert steps == [
        ("Letter drafted", "Anna Urzędnik"),
        ("Send for approval", "Anna Urzędnik"),
        ("Return with comments", "Piotr Kierownik"),
        ("Send for approval", "Anna Urzędnik"),
        ("Approve the letter", "Piotr Kierownik"),
        ("Mark signed", "Anna Urzędnik"),
        ("Dispatch", "Anna Urzędnik"),
    ]
    returned = [e for e in audit_trail(case) if e["action"] == "Return with comments"][0]
    assert returned["note"] == "Proszę dodać podstawę prawną"
    with as_user("urzednik"):
        assert not api.user.has_permission("Modify portal content", obj=letter)


def test_who_sees_a_letter_follows_its_case(case, functional):
    with as_user("urzednik"):
        letter = draft_letter(case, "Odpowiedź", body="Treść pisma")
    transaction.commit()
    url = letter.absolute_url()
    app = functional["app"]
    for login in (None, "mieszkaniec", "ksiegowa", "kancelaria"):
        browser = browser_for(app, login)
        browser.open(url)
        assert was_refused(browser), login
    for login in ("urzednik", "kierownik", "administrator"):
        browser = browser_for(app, login)
        browser.open(url)
        assert "Treść pisma" in browser.contents, login
    assert rest(app, "GET", url, "ksiegowa").status_int in (401, 403)
    assert rest(app, "GET", url, "urzednik").json["body"] == "Treść pisma"


def test_the_letter_forms_show_errors_beside_the_field_and_keep_the_input(case, functional):
    transaction.commit()
    browser = browser_for(functional["app"], "urzednik")
    browser.open(f"{case.absolute_url()}/@@draft-letter")
    browser.getControl(name="title").value = "<b>Odpowiedź</b>"
    browser.getControl(name="body").value = "Treść"
    browser.getControl(name="submit").click()
    assert 'aria-invalid="true"' in browser.contents
    assert "ratusz-field-title-error" in browser.contents
    assert browser.getControl(name="body").value == "Treść"
    sync()
    assert list(case.objectIds()) == []
    browser.getControl(name="title").value = "Odpowiedź"
    browser.getControl(name="template").value = ["reply"]
    browser.getControl(name="body").value = ""
    browser.getControl(name="submit").click()
    sync()
    letter = case.objectValues()[0]
    assert browser.url == letter.absolute_url()
    assert letter.body.startswith("Znak sprawy")
    browser.open(f"{letter.absolute_url()}/@@letter-action?transition=approve")
    assert was_refused(browser)  # the clerk does not approve


def test_a_returned_letter_shows_the_heads_comments(case, functional):
    with as_user("urzednik"):
        letter = draft_letter(case, "Odpowiedź", body="Treść")
        submit_letter(letter)
    with as_user("kierownik"):
        with pytest.raises(DocumentError) as markup:
            return_letter(letter, "Proszę o <b>poprawkę</b>")
        assert markup.value.field == "comments"
        return_letter(letter, "Proszę poprawić & podpisać")
    transaction.commit()
    browser = browser_for(functional["app"], "urzednik")
    browser.open(letter.absolute_url())
    assert "Proszę poprawić &amp; podpisać" in browser.contents
    assert "ratusz-letter-submit" in browser.contents
