"""The accessibility declaration ("deklaracja dostępności", requirements A1–A4).

Site administrators fill the control panel ``@@ratusz-accessibility-declaration``
(registry records ``ratusz.a11y.*``, also ``@controlpanels/ratusz-accessibility-declaration``
in the REST API); every language root shows the declaration at
``/<language>/deklaracja-dostepnosci`` with the element ids of the ministry's
structure version 2.0 (31 July 2024), labels translated and content as entered.
See docs/bip-declaration.md.
"""

import re
from datetime import date
from types import SimpleNamespace

from plone import api
from plone.app.registry.browser.controlpanel import ControlPanelFormWrapper
from plone.app.registry.browser.controlpanel import RegistryEditForm
from plone.autoform import directives
from plone.registry.interfaces import IRegistry
from plone.restapi.controlpanels import RegistryConfigletPanel
from plone.z3cform import layout
from plone.z3cform.textlines import TextLinesFieldWidget
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from Products.statusmessages.interfaces import IStatusMessage
from zope import schema
from zope.component import adapter
from zope.component import getUtility
from zope.interface import Interface
from zope.interface import provider
from zope.schema import ValidationError
from zope.schema.interfaces import IVocabularyFactory

from ratusz.bip.vocabularies import fixed_vocabulary
from ratusz.i18n import _
from ratusz.interfaces import IRatuszLayer
from ratusz.site.settings import city_settings_for_display
from ratusz.site.settings import safe_email
from ratusz.validators import URL
from ratusz.validators import has_no_markup
from ratusz.validators import is_email_or_empty
from ratusz.validators import is_url_or_empty

PREFIX = "ratusz.a11y"
CONFIGLET_ID = "ratusz-accessibility-declaration"

# The ministry's template prescribes these sentences word for word (structure 2.0).
STATUS_SENTENCES = {
    "compliant": _(
        "The website is fully compliant with the act of 4 April 2019 on the digital "
        "accessibility of websites and mobile applications of public bodies."
    ),
    "partially_compliant": _(
        "The website is partially compliant with the act of 4 April 2019 on the digital "
        "accessibility of websites and mobile applications of public bodies because of "
        "the non-compliances and exclusions listed below."
    ),
    "non_compliant": _(
        "The website is not compliant with the act of 4 April 2019 on the digital "
        "accessibility of websites and mobile applications of public bodies because of "
        "the non-compliances and exclusions listed below."
    ),
}


STATUSES = fixed_vocabulary(
    ("compliant", _("Compliant (zgodna)")),
    ("partially_compliant", _("Partially compliant (częściowo zgodna)")),
    ("non_compliant", _("Not compliant (niezgodna)")),
)

PREPARATION_METHODS = fixed_vocabulary(
    ("self_assessment", _("Self-assessment by the office")),
    ("external", _("Assessment by an external body")),
)


@provider(IVocabularyFactory)
def statuses_vocabulary(context=None):
    """``ratusz.a11y.statuses``: compliant, partially compliant, not compliant."""
    return STATUSES


@provider(IVocabularyFactory)
def preparation_methods_vocabulary(context=None):
    """``ratusz.a11y.preparation_methods``: self-assessment or an external body."""
    return PREPARATION_METHODS


DEFAULT_NON_ACCESSIBLE = [
    "Część plików PDF opublikowanych przed 2020 rokiem to skany bez warstwy tekstowej; "
    "ich treść udostępniamy na żądanie w formie dostępnej.",
    "Niektóre filmy opublikowane w serwisie nie mają napisów dla osób niesłyszących.",
]

DEFAULT_EXCLUSIONS = [
    "Mapy są wyłączone z obowiązku zapewnienia dostępności cyfrowej; adresy i opisy miejsc "
    "podajemy w tekście obok mapy.",
    "Transmisje sesji Rady Miasta na żywo są wyłączone z obowiązku zapewnienia dostępności "
    "cyfrowej; nagrania z napisami publikujemy po sesji.",
]

DEFAULT_PROCEDURE = """\
Każdy ma prawo wystąpić do podmiotu publicznego z żądaniem zapewnienia dostępności cyfrowej \
strony internetowej lub jej elementu. Można także zażądać udostępnienia informacji za pomocą \
alternatywnego sposobu dostępu, na przykład przez odczytanie niedostępnego cyfrowo dokumentu \
lub opisanie zawartości filmu bez audiodeskrypcji. Żądanie powinno zawierać dane osoby \
zgłaszającej żądanie, wskazanie strony internetowej lub elementu strony, którego dotyczy, \
oraz sposób kontaktu. Jeżeli osoba żądająca zgłasza potrzebę otrzymania informacji w formie \
alternatywnej, powinna także określić tę formę.

Podmiot publiczny realizuje żądanie niezwłocznie, nie później niż w ciągu 7 dni od dnia \
wystąpienia z żądaniem. Jeżeli dotrzymanie tego terminu nie jest możliwe, podmiot publiczny \
niezwłocznie informuje wnoszącego żądanie, kiedy realizacja żądania będzie możliwa; termin \
ten nie może być dłuższy niż 2 miesiące od dnia wystąpienia z żądaniem. Jeżeli zapewnienie \
dostępności cyfrowej nie jest możliwe, podmiot publiczny może zaproponować alternatywny \
sposób dostępu do informacji.

Jeżeli podmiot publiczny odmówi realizacji żądania zapewnienia dostępności lub \
alternatywnego sposobu dostępu do informacji, wnoszący żądanie może złożyć skargę do \
podmiotu publicznego. Po wyczerpaniu tej procedury można złożyć wniosek do Rzecznika Praw \
Obywatelskich (https://bip.brpo.gov.pl).

Podstawa prawna: art. 18 ustawy z dnia 4 kwietnia 2019 r. o dostępności cyfrowej stron \
internetowych i aplikacji mobilnych podmiotów publicznych."""

DEFAULT_ARCHITECTURE = """\
Urząd Miasta Przykładowo mieści się w budynku przy ul. Rynek 1. Do głównego wejścia od \
strony Rynku prowadzi podjazd dla wózków; drzwi otwierają się automatycznie.

Biuro Obsługi Mieszkańców znajduje się na parterze, na wyższe piętra prowadzi winda. \
Toaleta dostosowana do potrzeb osób z niepełnosprawnościami jest na parterze. W Biurze \
Obsługi Mieszkańców działa pętla indukcyjna.

Przed budynkiem wyznaczono dwa miejsca parkingowe dla osób z niepełnosprawnościami. Do \
budynku i wszystkich jego pomieszczeń można wejść z psem asystującym."""

DEFAULT_COMMUNICATION = """\
Osoby mające trudności w komunikowaniu się mogą skontaktować się z urzędem pisemnie, \
e-mailem, przez elektroniczną skrzynkę podawczą ePUAP, SMS-em lub osobiście z pomocą osoby \
przybranej.

W urzędzie można skorzystać z bezpłatnej pomocy tłumacza polskiego języka migowego (PJM), \
systemu językowo-migowego (SJM) lub sposobu komunikowania się osób głuchoniewidomych \
(SKOGN). Wizytę z tłumaczem należy zgłosić co najmniej 3 dni robocze wcześniej, z wyjątkiem \
sytuacji nagłych. Tłumacz PJM jest dostępny także online, przez połączenie wideo."""

DEFAULT_MOBILE_APPS = "Urząd Miasta Przykładowo nie udostępnia aplikacji mobilnych."


def _short_text(title, description=None, default=None, required=False, max_length=200):
    return schema.TextLine(
        title=title,
        description=description,
        default=default,
        required=required,
        max_length=max_length,
        constraint=has_no_markup,
    )


def _long_text(title, description=None, default=None, required=True):
    # Shown escaped, paragraph by paragraph: angle brackets may stay.
    return schema.Text(
        title=title,
        description=description,
        default=default,
        required=required,
        max_length=10_000,
    )


MAX_LINE = 500


class LineTooLong(ValidationError):
    __doc__ = _("Each line may have at most 500 characters.")


def lines_are_plain_text(lines):
    """Refuse markup and overlong lines in a list, with a message a person understands.

    Checked on the list itself: the items' own errors would only say "Wrong
    contained type".

    >>> lines_are_plain_text(["Skany PDF bez warstwy tekstowej"])
    True
    """
    for line in lines or ():
        has_no_markup(line)
        if len(line) > MAX_LINE:
            raise LineTooLong(line)
    return True


def _text_list(title, description, default):
    return schema.List(
        title=title,
        description=description,
        value_type=schema.TextLine(max_length=MAX_LINE),
        default=default,
        required=False,
        max_length=50,
        constraint=lines_are_plain_text,
    )


class IAccessibilityDeclarationSettings(Interface):
    """What the accessibility declaration says, element by element (structure 2.0)."""

    entity_name = _short_text(
        _("Public body"),
        _("Leave empty for the office name from the City settings."),
    )

    website_url = schema.TextLine(
        title=_("Website address"),
        description=_("Leave empty for the address of this site."),
        required=False,
        max_length=400,
        constraint=is_url_or_empty,
    )

    published_on = schema.Date(
        title=_("Date the website was published"),
        description=_("Leave empty for the date the site was created."),
        required=False,
    )

    updated_on = schema.Date(
        title=_("Date of the last significant update of the website"),
        description=_("Leave empty for the publication date."),
        required=False,
    )

    status = schema.Choice(
        title=_("Compliance status"),
        vocabulary="ratusz.a11y.statuses",
        default="partially_compliant",
        required=True,
    )

    directives.widget("non_accessible_content", TextLinesFieldWidget)
    non_accessible_content = _text_list(
        _("Non-accessible content"),
        _("One item per line: what is not accessible and why."),
        DEFAULT_NON_ACCESSIBLE,
    )

    directives.widget("exclusions", TextLinesFieldWidget)
    exclusions = _text_list(
        _("Exclusions"),
        _("One item per line: content excluded from the act, with the reason."),
        DEFAULT_EXCLUSIONS,
    )

    prepared_on = schema.Date(
        title=_("Date the declaration was prepared"),
        description=_("Leave empty for the publication date."),
        required=False,
    )

    reviewed_on = schema.Date(
        title=_("Date the declaration was last reviewed"),
        description=_("The declaration is reviewed and updated at least once a year, by 31 March."),
        required=False,
    )

    preparation_method = schema.Choice(
        title=_("How the declaration was prepared"),
        vocabulary="ratusz.a11y.preparation_methods",
        default="self_assessment",
        required=True,
    )

    auditor = _short_text(
        _("External body"),
        _("The name of the body that assessed the website, if it was not a self-assessment."),
    )

    contact_person = _short_text(
        _("Contact person"),
        _("Who handles requests and complaints about accessibility."),
        default="Zofia Sekretarz",
        required=True,
    )

    contact_email = schema.ASCIILine(
        title=_("Contact e-mail"),
        default="dostepnosc@przykladowo.example",
        required=True,
        max_length=200,
        constraint=is_email_or_empty,
    )

    contact_phone = _short_text(
        _("Contact phone"),
        default="+48 99 123 45 60",
        required=True,
        max_length=60,
    )

    procedure = _long_text(
        _("Requests and complaints procedure"),
        _("The standard text of art. 18 of the act; change it only to add local details."),
        DEFAULT_PROCEDURE,
    )

    architecture = _long_text(
        _("Architectural accessibility"),
        _("The office's buildings: entrances, lifts, toilets, parking, induction loops."),
        DEFAULT_ARCHITECTURE,
    )

    communication = _long_text(
        _("Communication accessibility"),
        _("Sign language interpreters and other ways of contact."),
        DEFAULT_COMMUNICATION,
    )

    mobile_apps = _long_text(
        _("Mobile applications"),
        _("The office's mobile applications and where their declarations are."),
        DEFAULT_MOBILE_APPS,
        required=False,
    )


def get_declaration_settings():
    """The declaration's registry records as a proxy.

    >>> get_declaration_settings().status
    'partially_compliant'
    """
    return getUtility(IRegistry).forInterface(
        IAccessibilityDeclarationSettings, prefix=PREFIX, check=False
    )


def last_31_march(today=None):
    """The 31 March by which the declaration had to be updated last.

    >>> last_31_march(date(2026, 4, 1)), last_31_march(date(2026, 3, 30))
    (datetime.date(2026, 3, 31), datetime.date(2025, 3, 31))
    """
    today = today or date.today()
    deadline = date(today.year, 3, 31)
    return deadline if today >= deadline else date(today.year - 1, 3, 31)


def site_creation_date():
    """The date the Plone site was created: the fallback of the declaration's dates."""
    return api.portal.get().created().asdatetime().date()


def declaration_dates(settings=None):
    """The declaration's dates with their fallbacks, as ``{name: date}``.

    >>> declaration_dates()["published_on"] == site_creation_date()
    True
    """
    settings = settings or get_declaration_settings()
    published = settings.published_on or site_creation_date()
    return {
        "published_on": published,
        "updated_on": settings.updated_on or published,
        "prepared_on": settings.prepared_on or published,
        "reviewed_on": settings.reviewed_on,
    }


def declaration_is_outdated(settings=None, today=None):
    """True when nothing in the declaration was dated since the last 31 March.

    The declaration counts as updated on the latest of its preparation,
    review and last-update dates.

    >>> declaration_is_outdated(today=date(2099, 4, 1))
    True
    """
    dates = declaration_dates(settings)
    latest = max(d for d in dates.values() if d is not None)
    return latest < last_31_march(today)


class DeclarationControlPanelForm(RegistryEditForm):
    schema = IAccessibilityDeclarationSettings
    schema_prefix = PREFIX
    label = _("Accessibility declaration")
    description = _(
        "The accessibility declaration shown at /pl/deklaracja-dostepnosci and in the "
        "other languages. Review it at least once a year, by 31 March."
    )

    def update(self):
        super().update()
        if self.request.response.getStatus() in (301, 302):
            return  # saved: the page it redirects to checks the new dates
        if declaration_is_outdated(self.getContent()):
            IStatusMessage(self.request).add(
                _(
                    "The declaration has not been updated since ${date}: review it and "
                    "enter the date of the review.",
                    mapping={"date": last_31_march().isoformat()},
                ),
                type="warning",
            )


DeclarationControlPanelView = layout.wrap_form(DeclarationControlPanelForm, ControlPanelFormWrapper)


@adapter(Interface, IRatuszLayer)
class DeclarationControlpanel(RegistryConfigletPanel):
    """``/++api++/@controlpanels/ratusz-accessibility-declaration``."""

    schema = IAccessibilityDeclarationSettings
    schema_prefix = PREFIX
    configlet_id = CONFIGLET_ID
    configlet_category_id = "plone-general"


def paragraphs(text):
    """Split a typed text into paragraphs at blank lines.

    >>> paragraphs("One\\nline.\\n\\nTwo.")
    ['One line.', 'Two.']
    """
    blocks = re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n"))
    return [" ".join(block.split()) for block in blocks if block.strip()]


def phone_href(phone):
    """A ``tel:`` link with digits and a leading plus only.

    >>> phone_href("+48 (99) 123-45-60")
    'tel:+48991234560'
    """
    return "tel:" + "".join(c for c in phone or "" if c.isdigit() or c == "+")


def declaration_for_display(request, portal_url):
    """Everything the declaration page shows, checked again and with fallbacks.

    Registry values may come from GenericSetup or the REST API, so links and
    e-mail addresses are checked again before they become ``href``s.

    >>> declaration_for_display(request, "http://localhost/plone").entity
    'Urząd Miasta Przykładowo'
    """
    settings = get_declaration_settings()
    url = settings.website_url
    if not url or not URL.match(url):
        url = portal_url
    elif url.startswith("/"):
        url = portal_url.rstrip("/") + url
    status = settings.status if settings.status in STATUS_SENTENCES else "non_compliant"
    return SimpleNamespace(
        entity=settings.entity_name or city_settings_for_display(request).office_name,
        url=url,
        status=status,
        status_sentence=STATUS_SENTENCES[status],
        non_accessible=[item for item in settings.non_accessible_content or () if item],
        exclusions=[item for item in settings.exclusions or () if item],
        external=settings.preparation_method == "external",
        auditor=settings.auditor,
        person=settings.contact_person,
        email=safe_email(settings.contact_email),
        phone=settings.contact_phone,
        phone_href=phone_href(settings.contact_phone),
        procedure=paragraphs(settings.procedure),
        architecture=paragraphs(settings.architecture),
        communication=paragraphs(settings.communication),
        mobile_apps=paragraphs(settings.mobile_apps),
        **declaration_dates(settings),
    )


class DeclarationView(BrowserView):
    """``/<language>/deklaracja-dostepnosci``: the declaration in the language of the root."""

    index = ViewPageTemplateFile("templates/declaration_page.pt")

    def __call__(self):
        self.declaration = declaration_for_display(self.request, api.portal.get().absolute_url())
        return self.index()
