"""The BIP tree a city gets on install: ``/pl/bip`` with the typical city-hall
subject menu (requirements B9), and its translations ``/en/bip`` and ``/uk/bip``.

Sections are created once and then belong to the editors: running the
install again adds what is missing and changes nothing that exists.
"""

from datetime import date

from plone import api
from plone.app.multilingual.interfaces import ITranslationManager
from plone.app.textfield.value import RichTextValue
from plone.dexterity.utils import createContentInContainer
from Products.CMFCore.indexing import processQueue
from zope.interface import alsoProvides

from ratusz.bip.interfaces import IBipRoot

ROOT_ID = "bip"
ROOT_TITLES = {
    "pl": "Biuletyn Informacji Publicznej",
    "en": "Public Information Bulletin",
    "uk": "Бюлетень публічної інформації",
}

# (id in pl, id in en/uk, {language: title}, register type, children)
SECTIONS = [
    (
        "status-prawny",
        "legal-status",
        {
            "pl": "Status prawny i statut",
            "en": "Legal status and statute",
            "uk": "Правовий статус і статут",
        },
        None,
        [],
    ),
    (
        "organy",
        "authorities",
        {"pl": "Organy", "en": "Authorities", "uk": "Органи"},
        None,
        [
            (
                "prezydent-miasta",
                "mayor",
                {"pl": "Prezydent Miasta", "en": "Mayor", "uk": "Президент міста"},
                None,
                [],
            ),
            (
                "rada-miasta",
                "city-council",
                {"pl": "Rada Miasta", "en": "City Council", "uk": "Міська рада"},
                None,
                [
                    ("sklad", "members", {"pl": "Skład", "en": "Members", "uk": "Склад"}, None, []),
                    (
                        "komisje",
                        "committees",
                        {"pl": "Komisje", "en": "Committees", "uk": "Комісії"},
                        None,
                        [],
                    ),
                    (
                        "sesje",
                        "sessions",
                        {"pl": "Sesje", "en": "Sessions", "uk": "Сесії"},
                        None,
                        [],
                    ),
                    (
                        "protokoly",
                        "minutes",
                        {"pl": "Protokoły", "en": "Minutes", "uk": "Протоколи"},
                        None,
                        [],
                    ),
                    (
                        "glosowania",
                        "votes",
                        {
                            "pl": "Głosowania imienne",
                            "en": "Roll-call votes",
                            "uk": "Поіменні голосування",
                        },
                        None,
                        [],
                    ),
                ],
            ),
        ],
    ),
    (
        "regulamin-organizacyjny",
        "organisational-rules",
        {
            "pl": "Regulamin organizacyjny",
            "en": "Organisational rules",
            "uk": "Організаційний регламент",
        },
        None,
        [],
    ),
    (
        "prawo-lokalne",
        "local-law",
        {"pl": "Prawo lokalne", "en": "Local law", "uk": "Місцеве право"},
        None,
        [
            (
                "uchwaly",
                "resolutions",
                {
                    "pl": "Uchwały Rady Miasta",
                    "en": "Council resolutions",
                    "uk": "Ухвали міської ради",
                },
                "BipLegalAct",
                [],
            ),
            (
                "zarzadzenia",
                "orders",
                {
                    "pl": "Zarządzenia Prezydenta",
                    "en": "Mayor's orders",
                    "uk": "Розпорядження президента",
                },
                "BipLegalAct",
                [],
            ),
        ],
    ),
    (
        "budzet-i-finanse",
        "budget-and-finance",
        {"pl": "Budżet i finanse", "en": "Budget and finance", "uk": "Бюджет і фінанси"},
        None,
        [],
    ),
    ("majatek", "property", {"pl": "Majątek", "en": "Property", "uk": "Майно"}, None, []),
    (
        "zamowienia-publiczne",
        "public-procurement",
        {"pl": "Zamówienia publiczne", "en": "Public procurement", "uk": "Публічні закупівлі"},
        "BipProcurement",
        [],
    ),
    (
        "ogloszenia-i-obwieszczenia",
        "announcements",
        {
            "pl": "Ogłoszenia i obwieszczenia",
            "en": "Announcements and notices",
            "uk": "Оголошення та повідомлення",
        },
        "BipAnnouncement",
        [],
    ),
    (
        "nabor-na-stanowiska",
        "job-vacancies",
        {"pl": "Nabór na stanowiska", "en": "Job vacancies", "uk": "Набір на посади"},
        "BipJobVacancy",
        [],
    ),
    (
        "oswiadczenia-majatkowe",
        "asset-declarations",
        {"pl": "Oświadczenia majątkowe", "en": "Asset declarations", "uk": "Майнові декларації"},
        "BipAssetDeclaration",
        [],
    ),
    (
        "kontrole",
        "inspections",
        {"pl": "Kontrole", "en": "Inspections", "uk": "Перевірки"},
        None,
        [],
    ),
    (
        "rejestry-i-ewidencje",
        "registers",
        {"pl": "Rejestry i ewidencje", "en": "Registers and records", "uk": "Реєстри та облік"},
        None,
        [],
    ),
    ("petycje", "petitions", {"pl": "Petycje", "en": "Petitions", "uk": "Петиції"}, None, []),
    (
        "zalatwianie-spraw",
        "services",
        {
            "pl": "Załatwianie spraw (karty usług)",
            "en": "Getting things done (service cards)",
            "uk": "Вирішення справ (картки послуг)",
        },
        None,
        [],
    ),
    (
        "informacje-nieudostepnione",
        "information-on-request",
        {
            "pl": "Informacje nieudostępnione w BIP",
            "en": "Information not published in the BIP",
            "uk": "Інформація, не оприлюднена в БПІ",
        },
        None,
        [],
    ),
    (
        "ponowne-wykorzystywanie",
        "re-use",
        {
            "pl": "Ponowne wykorzystywanie informacji",
            "en": "Re-use of public information",
            "uk": "Повторне використання інформації",
        },
        None,
        [],
    ),
    (
        "ochrona-danych-osobowych",
        "data-protection",
        {
            "pl": "Ochrona danych osobowych (RODO)",
            "en": "Personal data protection (GDPR)",
            "uk": "Захист персональних даних (GDPR)",
        },
        None,
        [],
    ),
]

# A BIP page every BIP must have (rBIP § 11): how to use the bulletin.
INSTRUCTION_ID = {"pl": "instrukcja-obslugi", "en": "how-to-use", "uk": "how-to-use"}
INSTRUCTION = {
    "pl": (
        "Instrukcja korzystania z BIP",
        (
            "<p>Biuletyn Informacji Publicznej (BIP) udostępnia informację publiczną urzędu bez "
            "wniosku. Menu przedmiotowe po lewej stronie prowadzi do działów: statusu prawnego, "
            "organów, prawa lokalnego, budżetu, zamówień publicznych, ogłoszeń, naborów i "
            "innych.</p>"
            "<p>Wyszukiwarka BIP przeszukuje treść wszystkich działów; wyniki można zawęzić do "
            "typu "
            "informacji, roku, organu i statusu. Każda strona ma metryczkę: kto informację "
            "wytworzył, "
            "kto za nią odpowiada, kto ją wprowadził i kiedy. Zmiany treści są widoczne w "
            "rejestrze "
            "zmian, a wcześniejsze wersje pozostają dostępne.</p>"
            "<p>Informację, której nie ma w BIP, można uzyskać na wniosek: zobacz dział "
            "„Informacje nieudostępnione w BIP”. Treść BIP można drukować i kopiować bez "
            "ograniczeń. Serwis spełnia wymagania WCAG 2.1 AA: rozmiar tekstu i wysoki kontrast "
            "zmienisz przyciskami u góry strony.</p>"
        ),
    ),
    "en": (
        "How to use the BIP",
        (
            "<p>The Public Information Bulletin (BIP) publishes the office's public information "
            "without a request. The subject menu leads to the sections: legal status, authorities, "
            "local law, budget, public procurement, announcements, job vacancies and more.</p>"
            "<p>The BIP search covers every section and can be narrowed by type, year, issuing "
            "body "
            "and status. Every page has a metadata block: who produced the information, who is "
            "responsible for it, who entered it and when. Changes are listed in the change "
            "register "
            "and earlier versions stay readable.</p>"
            '<p>Information that is not in the BIP can be requested: see "Information not '
            'published in the BIP". BIP content may be printed and copied freely.</p>'
        ),
    ),
    "uk": (
        "Як користуватися БПІ",
        (
            "<p>Бюлетень публічної інформації (БПІ) оприлюднює публічну інформацію установи без "
            "запиту. Предметне меню веде до розділів: правовий статус, органи, місцеве право, "
            "бюджет, публічні закупівлі, оголошення, набір на посади тощо.</p>"
            "<p>Пошук БПІ охоплює всі розділи; результати можна звузити за типом, роком, органом "
            "і статусом. Кожна сторінка має метрику: хто створив інформацію, хто за неї "
            "відповідає, "
            "хто її вніс і коли. Зміни видно в реєстрі змін, попередні версії залишаються "
            "доступними.</p>"
            "<p>Інформацію, якої немає в БПІ, можна отримати за запитом. Вміст БПІ можна вільно "
            "друкувати та копіювати.</p>"
        ),
    ),
}

OFFICE_UNIT = {
    "pl": "Wydział Organizacyjny",
    "en": "Organisation Department",
    "uk": "Організаційний відділ",
}
OFFICE_PERSON = {"pl": "Sekretarz Miasta", "en": "City Secretary", "uk": "Секретар міста"}


NOT_PUBLISHED_SECTION = "informacje-nieudostepnione"


def not_published_section_id(language):
    """The id of the section "Information not published in the BIP" in ``language``.

    >>> not_published_section_id("en")
    'information-on-request'
    """
    for pl_id, other_id, *_rest in SECTIONS:
        if pl_id == NOT_PUBLISHED_SECTION:
            return pl_id if language == "pl" else other_id
    return NOT_PUBLISHED_SECTION


def create_bip(portal=None):
    """Create the BIP of every language root and link the languages as translations.

    >>> create_bip()
    >>> api.content.get("/pl/bip/prawo-lokalne/uchwaly").register_type
    'BipLegalAct'
    """
    portal = portal or api.portal.get()
    trees = {}
    # An upgrade may run as any user allowed to open portal_setup; the tree is
    # the profile's, so it is built with the rights of the profile.
    with api.env.adopt_roles(["Manager"]):
        for language in ("pl", "en", "uk"):
            if language in portal.objectIds():
                trees[language] = _create_tree(portal[language], language)
        _link_translations(trees)


def _section(container, section_id, title, language, register_type=None):
    if section_id in container.objectIds():
        return container[section_id]
    # Not api.content.create: a language root allows only globally addable
    # types, and the BIP root is the one section that lives there.
    section = createContentInContainer(
        container,
        "BipSection",
        checkConstraints=False,
        id=section_id,
        title=title,
        language=language,
        register_type=register_type,
    )
    api.content.transition(obj=section, transition="publish")
    return section


def _create_tree(language_root, language):
    """Create one language's BIP; return {path key: object} for translation linking."""
    nodes = {}
    root = _section(language_root, ROOT_ID, ROOT_TITLES[language], language)
    alsoProvides(root, IBipRoot)
    root.reindexObject(idxs=["object_provides"])
    nodes[()] = root

    def walk(container, sections, key):
        for pl_id, other_id, titles, register_type, children in sections:
            section_id = pl_id if language == "pl" else other_id
            section = _section(container, section_id, titles[language], language, register_type)
            nodes[key + (pl_id,)] = section
            walk(section, children, key + (pl_id,))

    walk(root, SECTIONS, ())
    nodes[("instruction",)] = _instruction_page(root, language)
    return nodes


def _instruction_page(root, language):
    page_id = INSTRUCTION_ID[language]
    if page_id in root.objectIds():
        return root[page_id]
    title, text = INSTRUCTION[language]
    page = api.content.create(
        container=root,
        type="BipPage",
        id=page_id,
        title=title,
        text=RichTextValue(text, "text/html", "text/x-html-safe"),
        language=language,
        bip_produced_by=OFFICE_PERSON[language],
        bip_producing_unit=OFFICE_UNIT[language],
        bip_responsible=OFFICE_PERSON[language],
        bip_date_produced=date.today(),
    )
    api.content.transition(obj=page, transition="publish")
    return page


def _link_translations(trees):
    source = trees.get("pl")
    if not source:
        return
    for language in ("en", "uk"):
        for key, obj in trees.get(language, {}).items():
            processQueue()
            manager = ITranslationManager(source[key])
            if not manager.has_translation(language):
                manager.register_translation(language, obj)
    processQueue()
