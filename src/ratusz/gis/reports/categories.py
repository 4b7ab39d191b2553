"""Categories of citizen reports: stable codes with Polish, English and Ukrainian titles.

The codes are what is stored on each report, indexed (``geo_category``) and,
later, what Open311 calls service codes; the titles are what people read.
Site administrators keep the list in Site Setup → Citizen reports, one
category a line::

    road | Uszkodzona jezdnia lub chodnik | Damaged road or pavement | Пошкоджена дорога або тротуар

A code, once used, should stay: a report keeps its code when the category is
removed from the list, and is then shown with the code itself.
"""

import re

from zope.globalrequest import getRequest
from zope.interface import provider
from zope.schema.interfaces import IVocabularyFactory
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary

from ratusz.i18n import _

LANGUAGES = ("pl", "en", "uk")
CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
MAX_TITLE = 100

DEFAULT_CATEGORIES = (
    "road | Uszkodzona jezdnia lub chodnik | Damaged road or pavement"
    " | Пошкоджена дорога або тротуар",
    "lighting | Oświetlenie uliczne | Street lighting | Вуличне освітлення",
    "waste | Śmieci i dzikie wysypiska | Litter and fly-tipping | Сміття і стихійні звалища",
    "greenery | Drzewa i zieleń | Trees and greenery | Дерева і зелені насадження",
    "traffic | Znaki i sygnalizacja | Road signs and traffic lights | Дорожні знаки і світлофори",
    "vandalism | Wandalizm i graffiti | Vandalism and graffiti | Вандалізм і графіті",
    "snow | Śnieg i gołoledź | Snow and ice | Сніг і ожеледиця",
    "water | Woda, kanalizacja, podtopienia | Water, sewers and flooding"
    " | Вода, каналізація, підтоплення",
    "other | Inny problem | Other problem | Інша проблема",
)


class CategoryLineError(ValueError):
    """A line of the category list that cannot be read (the message is translatable)."""


def parse_category(line):
    """``{"code", "pl", "en", "uk"}`` of one line ``code | pl | en | uk``; raises
    CategoryLineError. A missing English or Ukrainian title takes the Polish one.

    >>> parse_category("lighting | Oświetlenie | Street lighting | Освітлення")["en"]
    'Street lighting'
    """
    parts = [" ".join(part.split()) for part in (line or "").split("|")]
    if len(parts) < 2 or len(parts) > 4:
        raise CategoryLineError(
            _(
                "Write each category as: code | Polish title | English title | Ukrainian title "
                "(${line}).",
                mapping={"line": (line or "")[:80]},
            )
        )
    code, titles = parts[0], parts[1:] + [""] * (4 - len(parts))
    if not CODE.match(code):
        raise CategoryLineError(
            _(
                "A category code is 1 to 40 small letters, digits, - or _ (${code}).",
                mapping={"code": code[:40]},
            )
        )
    if not titles[0] or any(len(t) > MAX_TITLE or "<" in t or ">" in t for t in titles):
        raise CategoryLineError(
            _(
                "Each category needs a Polish title of at most ${max} characters, without < "
                "and > (${code}).",
                mapping={"max": MAX_TITLE, "code": code},
            )
        )
    polish = titles[0]
    return {"code": code, "pl": polish, "en": titles[1] or polish, "uk": titles[2] or polish}


def check_category_lines(lines):
    """The field's constraint: every line readable, no code twice; raises CategoryLineError.

    >>> check_category_lines(["a | A", "b | B"])
    True
    """
    codes = [parse_category(line)["code"] for line in lines or ()]
    twice = sorted({code for code in codes if codes.count(code) > 1})
    if twice:
        raise CategoryLineError(
            _("A category code may appear once: ${codes}.", mapping={"codes": ", ".join(twice)})
        )
    if not codes:
        raise CategoryLineError(_("Give at least one category."))
    return True


def report_categories():
    """The categories in their order: ``[{"code", "pl", "en", "uk"}, …]``, from Site Setup
    (the default list when the setting is missing or cannot be read).

    >>> report_categories()[0]["code"]
    'road'
    """
    from ratusz.gis.reports.settings import reports_setting

    lines = reports_setting("categories") or DEFAULT_CATEGORIES
    found = []
    for line in lines:
        try:
            found.append(parse_category(line))
        except CategoryLineError:
            continue  # checked when saved; a hand-edited record loses only its bad line
    return found or [parse_category(line) for line in DEFAULT_CATEGORIES]


def current_language(request=None):
    """The language of ``request`` (or the current one) if Ratusz has it, else Polish."""
    request = request if request is not None else getRequest()
    language = (request.get("LANGUAGE") if request is not None else None) or "pl"
    language = language[:2]
    return language if language in LANGUAGES else "pl"


def category_title(code, language=None):
    """The title of category ``code`` in ``language`` (the current one if None), or the code.

    >>> category_title("lighting", "en")
    'Street lighting'
    """
    language = language if language in LANGUAGES else current_language()
    for category in report_categories():
        if category["code"] == code:
            return category[language]
    return code or ""


@provider(IVocabularyFactory)
def category_vocabulary(context):
    """``ratusz.gis.report_categories``: codes with titles in the current language."""
    language = current_language()
    return SimpleVocabulary(
        [
            SimpleTerm(category["code"], category["code"], category[language])
            for category in report_categories()
        ]
    )
