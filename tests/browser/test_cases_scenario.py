"""The whole circulation of one letter in a real Chromium: the desk registers it and
prints the receipt, the secretariat and the head assign it, the clerk opens the case and
drafts a reply from a template, the head returns it and then approves it, the clerk
marks it signed and dispatches it, settles the case, and the record lists every step
with person, date and document. Every page is checked with axe-core (WCAG 2.1 AA)."""

from datetime import date

from playwright.sync_api import expect

from tests.browser.conftest import describe
from tests.browser.test_cases_case import register_and_assign

YEAR = date.today().year
SIGN = f"OR.0020.1.{YEAR}"


def as_user(page, login, user):
    page.context.clear_cookies()
    login(user, f"demo-{user}")


def letter_step(page, link_id, button, axe_violations, fill=None):
    page.click(f"#{link_id}")
    if fill:
        for selector, value in fill.items():
            page.fill(selector, value)
    assert axe_violations() == [], describe(axe_violations())
    page.get_by_role("button", name=button).click()
    page.wait_for_load_state("load")


def test_a_letter_from_the_desk_to_the_record(page, site_url, login, axe_violations):
    item_url = register_and_assign(page, site_url, login)
    login("kancelaria", "demo-kancelaria")
    page.goto(f"{item_url}/@@receipt")
    expect(page.locator("#ratusz-receipt-number")).to_have_text(f"RPW/1/{YEAR}")

    as_user(page, login, "urzednik")
    page.goto(f"{site_url}/intranet")
    expect(page.locator("#ratusz-work-assigned_to_me + .badge")).to_have_text("1")
    assert axe_violations() == [], describe(axe_violations())
    page.goto(f"{site_url}/intranet/@@notices")
    expect(page.locator("#ratusz-notices li")).to_have_count(1)
    assert axe_violations() == [], describe(axe_violations())
    page.goto(item_url)
    page.click("#ratusz-incoming-open-case")
    page.select_option("#ratusz-case-kind", "certificate")
    page.fill("#ratusz-case-jrwa", "0020")
    page.get_by_role("button", name="Załóż sprawę").click()
    page.wait_for_load_state("load")
    expect(page.locator("#ratusz-case-sign")).to_have_text(SIGN)
    case_url = page.url.split("/view")[0]

    page.click("#ratusz-case-draft-letter")
    page.select_option("#ratusz-field-template", "reply")
    page.fill("#ratusz-field-title", "<b>Odpowiedź</b>")
    assert axe_violations() == [], describe(axe_violations())
    page.get_by_role("button", name="Przygotuj pismo").click()
    page.wait_for_load_state("load")
    expect(page.locator("#ratusz-field-title")).to_have_attribute("aria-invalid", "true")
    assert axe_violations() == [], describe(axe_violations())
    page.fill("#ratusz-field-title", "Odpowiedź na wniosek")
    page.get_by_role("button", name="Przygotuj pismo").click()
    page.wait_for_load_state("load")
    expect(page.locator("#ratusz-letter-text")).to_contain_text(f"Znak sprawy: {SIGN}")
    expect(page.locator("#ratusz-letter-state")).to_have_text("Szkic")
    assert axe_violations() == [], describe(axe_violations())
    letter_url = page.url.split("/view")[0]
    letter_step(page, "ratusz-letter-submit", "Przekaż do akceptacji", axe_violations)
    expect(page.locator("#ratusz-letter-approve")).to_have_count(0)  # not the clerk's step

    as_user(page, login, "kierownik")
    page.goto(f"{site_url}/intranet/@@dashboard?show=for_approval")
    expect(page.locator("#ratusz-tab-for_approval .ratusz-count")).to_have_text("1")
    assert axe_violations() == [], describe(axe_violations())
    page.goto(letter_url)
    letter_step(
        page,
        "ratusz-letter-return",
        "Zwróć z uwagami",
        axe_violations,
        {"#ratusz-field-comment": "Proszę dodać podstawę prawną"},
    )
    expect(page.locator("#ratusz-letter-state")).to_have_text("Szkic")

    as_user(page, login, "urzednik")
    page.goto(letter_url)
    expect(page.locator("#ratusz-letter-comments")).to_contain_text("podstawę prawną")
    letter_step(page, "ratusz-letter-submit", "Przekaż do akceptacji", axe_violations)

    as_user(page, login, "kierownik")
    page.goto(letter_url)
    letter_step(page, "ratusz-letter-approve", "Zaakceptuj pismo", axe_violations)
    expect(page.locator("#ratusz-letter-state")).to_have_text("Zaakceptowane")

    as_user(page, login, "urzednik")
    page.goto(letter_url)
    letter_step(page, "ratusz-letter-sign", "Oznacz jako podpisane", axe_violations)
    page.click("#ratusz-letter-dispatch")
    page.select_option("#ratusz-field-channel", "post")
    assert axe_violations() == [], describe(axe_violations())
    page.get_by_role("button", name="Wyślij").click()
    page.wait_for_load_state("load")
    expect(page.locator("#ratusz-letter-state")).to_have_text("Wysłane")

    page.goto(case_url)
    page.click("#ratusz-case-start")
    page.get_by_role("button", name="Rozpocznij prowadzenie").click()
    page.wait_for_load_state("load")
    page.click("#ratusz-case-settle")
    page.fill("#ratusz-case-action-text", "Udzielono odpowiedzi pismem")
    page.get_by_role("button", name="Załatw sprawę").click()
    page.wait_for_load_state("load")
    expect(page.locator("#ratusz-case-documents tbody tr")).to_have_count(1)
    assert axe_violations() == [], describe(axe_violations())

    page.click("#ratusz-case-record")
    rows = page.locator("#ratusz-table tbody tr")
    expected = [
        ("Założenie sprawy", "Anna Urzędnik", SIGN),
        ("Dołączenie przesyłki wpływającej", "Anna Urzędnik", f"RPW/1/{YEAR}"),
        ("Przygotowano pismo", "Anna Urzędnik", f"{SIGN}/1"),
        ("Przekaż do akceptacji", "Anna Urzędnik", f"{SIGN}/1"),
        ("Zwróć z uwagami", "Piotr Kierownik", f"{SIGN}/1"),
        ("Przekaż do akceptacji", "Anna Urzędnik", f"{SIGN}/1"),
        ("Zaakceptuj pismo", "Piotr Kierownik", f"{SIGN}/1"),
        ("Oznacz jako podpisane", "Anna Urzędnik", f"{SIGN}/1"),
        ("Wyślij", "Anna Urzędnik", f"{SIGN}/1"),
        ("Rozpocznij prowadzenie", "Anna Urzędnik", ""),
        ("Załatw sprawę", "Anna Urzędnik", ""),
    ]
    expect(rows).to_have_count(len(expected))
    for index, (action, person, document) in enumerate(expected):
        cells = rows.nth(index).locator("td")
        expect(cells.nth(1)).to_contain_text(str(YEAR))
        expect(cells.nth(2)).to_contain_text(person)
        expect(cells.nth(3)).to_contain_text(action)
        expect(cells.nth(4)).to_have_text(document)
    assert axe_violations() == [], describe(axe_violations())
    page.emulate_media(media="print")
    expect(page.locator("#ratusz-table-exports")).to_be_hidden()
    page.emulate_media(media="screen")

    page.goto(f"{site_url}/intranet/sprawy/@@case-register?unit=OR&jrwa=0020&year={YEAR}")
    expect(page.locator("#ratusz-table tbody tr")).to_have_count(1)
    expect(page.locator("#ratusz-table tbody tr td").nth(5)).to_have_text(
        "Udzielono odpowiedzi pismem"
    )
    assert axe_violations() == [], describe(axe_violations())
    page.goto(f"{site_url}/intranet/sprawy/@@case-search?party=Kowalski&search=1")
    expect(page.locator("#ratusz-case-search-results tbody tr")).to_have_count(1)
    assert axe_violations() == [], describe(axe_violations())
