"""The ``ratusz:demo`` profile: the fictional city of Przykładowo and one user per role.

Everything here is demonstration data. The passwords are published in the
README: a production site never installs this profile.
"""

from pathlib import Path

from plone import api
from plone.app.multilingual.interfaces import ITranslationManager
from plone.app.textfield.value import RichTextValue
from Products.CMFCore.indexing import processQueue

from ratusz.cases.jrwa import stored_list
from ratusz.cases.jrwa_views import import_jrwa
from ratusz.setuphandlers import create_groups

DEMO_NOTICE = {
    "pl": "Dane demonstracyjne: Przykładowo to miasto fikcyjne.",
    "en": "Demonstration data: Przykładowo is a fictional city.",
    "uk": "Демонстраційні дані: Пшикладово — вигадане місто.",
}

HOME_PAGES = {
    "pl": (
        "witamy",
        "Przykładowo — oficjalny serwis miasta",
        "Urząd Miasta Przykładowo: informacje, e-usługi i Biuletyn Informacji Publicznej.",
        "<p>Witamy w serwisie Urzędu Miasta Przykładowo. Tu złożysz wniosek przez "
        "internet, sprawdzisz stan swojej sprawy i znajdziesz informację publiczną.</p>",
    ),
    "en": (
        "welcome",
        "Przykładowo — the city's official website",
        "Przykładowo City Hall: information, e-services and the Public Information Bulletin.",
        "<p>Welcome to the website of Przykładowo City Hall. File applications online, "
        "follow your case and read public information.</p>",
    ),
    "uk": (
        "vitayemo",
        "Пшикладово — офіційний сайт міста",
        "Міська рада Пшикладово: інформація, електронні послуги та Бюлетень публічної інформації.",
        "<p>Ласкаво просимо на сайт Міської ради Пшикладово. Подавайте заяви онлайн, "
        "стежте за своєю справою та читайте публічну інформацію.</p>",
    ),
}

# login -> (full name, groups, password). Demo only: see README.
DEMO_USERS = {
    "mieszkaniec": ("Jan Mieszkaniec", ["ratusz-citizens"], "demo-mieszkaniec"),
    "urzednik": ("Anna Urzędnik", ["ratusz-clerks"], "demo-urzednik"),
    "ksiegowa": ("Beata Księgowa", ["ratusz-clerks"], "demo-ksiegowa"),
    "kancelaria": ("Tomasz Kancelaria", ["ratusz-registry"], "demo-kancelaria"),
    "sekretariat": ("Ewa Sekretariat", ["ratusz-secretariat"], "demo-sekretariat"),
    "kierownik": ("Piotr Kierownik", ["ratusz-department-heads"], "demo-kierownik"),
    "redaktor": ("Ewa Redaktor", ["ratusz-editors", "ratusz-bip-editors"], "demo-redaktor"),
    "sekretarz": ("Zofia Sekretarz", ["ratusz-bip-administrators"], "demo-sekretarz"),
    "administrator": ("Marek Administrator", ["Site Administrators"], "demo-administrator"),
}


def install_demo(context):
    """Add the demo home pages in every language and the demo users.

    The demo BIP content is a profile of its own (``ratusz:demo-bip``), so that
    tests of registers start from a known, empty BIP.
    """
    create_groups()
    create_home_pages()
    create_demo_users()
    import_demo_jrwa()
    create_demo_departments()


def create_home_pages():
    """A published front page in each language root, linked as translations.

    >>> create_home_pages()
    >>> api.content.get("/pl/witamy").title
    'Przykładowo — oficjalny serwis miasta'
    """
    portal = api.portal.get()
    pages = {}
    for language, (page_id, title, description, text) in HOME_PAGES.items():
        root = portal[language]
        if page_id not in root:
            page = api.content.create(
                container=root,
                type="Document",
                id=page_id,
                title=title,
                description=description,
                text=RichTextValue(
                    f"{text}<p><em>{DEMO_NOTICE[language]}</em></p>",
                    "text/html",
                    "text/x-html-safe",
                ),
                language=language,
            )
            api.content.transition(obj=page, transition="publish")
        pages[language] = root[page_id]
        root.setDefaultPage(page_id)
    for language in ("en", "uk"):
        # The translation manager finds translations through the catalog: the
        # indexing queue must be flushed before each lookup.
        processQueue()
        manager = ITranslationManager(pages["pl"])
        if not manager.has_translation(language):
            manager.register_translation(language, pages[language])
    processQueue()


def create_demo_users():
    """One demo user per role, each in the groups that give the role."""
    for login, (fullname, groups, password) in DEMO_USERS.items():
        if api.user.get(username=login) is None:
            api.user.create(
                username=login,
                email=f"{login}@przykladowo.example",
                password=password,
                properties={"fullname": fullname},
            )
        for group in groups:
            api.group.add_user(groupname=group, username=login)


DEMO_JRWA = Path(__file__).parent / "cases" / "data" / "jrwa-demo.csv"


def import_demo_jrwa():
    """Load the demonstration JRWA (the pre-2011 municipal list, cleaned) unless a list exists.

    >>> import_demo_jrwa()
    >>> get_class(api.portal.get(), "0020").title
    'Wybory do Sejmu i Senatu RP'
    """
    portal = api.portal.get()
    if stored_list(portal) is None:
        import_jrwa(portal, DEMO_JRWA.read_bytes(), "jrwa-demo.csv (demo)", "ratusz:demo")


# symbol, name, head, secretariat, members (demo users; a real office has its own)
DEMO_DEPARTMENTS = (
    ("OR", "Wydział Organizacyjny", "kierownik", [], ["urzednik"]),
    ("FN", "Wydział Finansowy", None, [], ["ksiegowa"]),
    ("GK", "Wydział Gospodarki Komunalnej", None, [], []),
    ("OS", "Wydział Ochrony Środowiska", None, [], []),
    ("SO", "Wydział Spraw Obywatelskich", None, [], ["urzednik"]),
    ("USC", "Urząd Stanu Cywilnego", None, [], []),
)


def create_demo_departments():
    """The six departments of the demo office, with the demo staff in two of them.

    >>> create_demo_departments()
    >>> sorted(api.content.get("/intranet/wydzialy").objectIds())
    ['fn', 'gk', 'or', 'os', 'so', 'usc']
    """
    directory = api.portal.get()["intranet"]["wydzialy"]
    for symbol, title, head, secretariat, members in DEMO_DEPARTMENTS:
        if symbol.lower() not in directory:
            api.content.create(
                container=directory,
                type="Department",
                id=symbol.lower(),
                symbol=symbol,
                title=title,
                head=head,
                secretariat=secretariat,
                members=members,
            )
