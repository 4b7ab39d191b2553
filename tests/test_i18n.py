"""Translations: our domain complete in Polish, Plone core gaps filled, no leaks."""

import re
from pathlib import Path

import pytest
from zope.i18n import translate

LOCALES = Path(__file__).resolve().parents[1] / "src" / "ratusz" / "locales"


def entries(po_file):
    """``{msgid: msgstr}`` of a .po file (single-line entries, as i18ndude writes them)."""
    text = po_file.read_text(encoding="utf-8")
    found = {}
    for block in re.split(r"\n\s*\n", text):
        msgid = re.search(r'^msgid "(.*)"$', block, re.M)
        msgstr = re.search(r'^msgstr "(.*)"$', block, re.M)
        if msgid and msgid.group(1):
            found[msgid.group(1)] = msgstr.group(1) if msgstr else ""
    return found


def test_template_lists_every_message_of_the_code(tmp_path):
    """ratusz.pot is up to date: extracting again finds no other message."""
    import subprocess
    import sys

    root = LOCALES.parents[2]
    fresh = tmp_path / "ratusz.pot"
    i18ndude = Path(sys.executable).with_name("i18ndude")
    subprocess.run(
        [
            str(i18ndude),
            "rebuild-pot",
            "--pot",
            str(fresh),
            "--create",
            "ratusz",
            "src/ratusz",
            "profiles",
            "theme",
        ],
        cwd=root,
        check=True,
        capture_output=True,
    )
    assert set(entries(fresh)) == set(entries(LOCALES / "ratusz.pot")), "run make i18n"
    assert "Skip to main content" in entries(fresh)


@pytest.mark.parametrize("language", ["pl", "uk", "en"])
def test_ratusz_catalogue_is_complete(language):
    pot = entries(LOCALES / "ratusz.pot")
    po = entries(LOCALES / language / "LC_MESSAGES" / "ratusz.po")
    assert set(po) == set(pot), "run make i18n"
    untranslated = [msgid for msgid, msgstr in po.items() if not msgstr]
    assert untranslated == []


@pytest.mark.parametrize("language", ["pl", "uk", "en"])
def test_no_translation_is_fuzzy(language):
    # i18ndude marks an entry fuzzy when its English default changes, and a fuzzy entry is
    # left out of the compiled catalogue: the page would fall back to English.
    text = (LOCALES / language / "LC_MESSAGES" / "ratusz.po").read_text(encoding="utf-8")
    fuzzy = [block for block in text.split("\n\n") if "#, fuzzy" in block]
    assert fuzzy == []


@pytest.mark.parametrize(
    "msgid, domain, language, expected",
    [
        ("Skip to main content", "ratusz", "pl", "Przejdź do treści głównej"),
        ("Skip to main content", "ratusz", "uk", "Перейти до основного вмісту"),
        ("City settings", "ratusz", "en", "City settings"),
        # Untranslated in plone.app.locales 6.2; filled by our plone.po:
        ("trouble_logging_in", "plone", "pl", "Problem z zalogowaniem się?"),
        ("label_toggle_navigation", "plone", "pl", "Pokaż lub ukryj menu"),
        ("heading_available_languages", "plone", "pl", "Dostępne języki"),
        # plone.app.locales' own Polish stays as it was:
        ("Log in", "plone", "pl", "Zaloguj"),
    ],
)
def test_runtime_translation(integration, msgid, domain, language, expected):
    assert translate(msgid, domain=domain, target_language=language) == expected


@pytest.mark.parametrize("language", ["en", "uk"])
def test_polish_override_does_not_leak_into_other_languages(integration, language):
    # A domain with only a Polish catalogue would answer English and Ukrainian
    # users in Polish; the header-only en/uk catalogues prevent that.
    assert translate("No value", domain="z3c.form", target_language=language) != "Brak wartości"
    assert (
        translate("trouble_logging_in", domain="plone", target_language=language)
        != "Problem z zalogowaniem się?"
    )


@pytest.mark.parametrize(
    "language, expected", [("pl", "Data publikacji"), ("uk", "Дата публікації"), (None, None)]
)
def test_translator_translates_into_the_language_of_the_request(integration, language, expected):
    from ratusz.i18n import _
    from ratusz.i18n import translator

    request = integration["request"]
    request.set("LANGUAGE", language)
    text = translator(request)(_("Date published"))
    # Without a negotiated language it translates as zope.i18n would.
    assert text == (expected or translate(_("Date published"), context=request))
