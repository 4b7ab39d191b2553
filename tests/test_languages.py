"""Items kept once per language root and linked as translations (ratusz.languages)."""

from plone import api
from plone.app.multilingual.interfaces import ITranslationManager

from ratusz.i18n import _
from ratusz.languages import create_in_language_roots
from ratusz.languages import link_translations
from ratusz.languages import remove_from_language_roots

IDS = {"pl": "probna", "en": "trial", "uk": "probna"}


def test_create_in_language_roots_publishes_translates_and_links(integration):
    portal = integration["portal"]
    with api.env.adopt_roles(["Manager"]):
        made = create_in_language_roots(IDS, "Folder", _("Map"), _("Maps"), layout="map")
        again = create_in_language_roots(IDS, "Folder", _("Map"), _("Maps"), layout="listing_view")
    assert made == again  # nothing doubled, nothing changed the second time
    assert portal.pl.probna.Title() == "Mapa" and portal.en.trial.Title() == "Map"
    assert portal.uk.probna.Title() == "Мапа"
    assert portal.pl.probna.getLayout() == "map"
    assert {api.content.get_state(item) for item in made.values()} == {"published"}
    assert ITranslationManager(portal.pl.probna).get_translation("en") == portal.en.trial


def test_link_translations_links_to_the_polish_item(integration):
    portal = integration["portal"]
    with api.env.adopt_roles(["Manager"]):
        pl = api.content.create(container=portal.pl, type="Folder", id="a", language="pl")
        uk = api.content.create(container=portal.uk, type="Folder", id="a", language="uk")
    link_translations({"pl": pl, "uk": uk})
    assert ITranslationManager(pl).get_translation("uk") == uk
    link_translations({"en": uk})  # no Polish item: nothing to link to, no error


def test_remove_from_language_roots_keeps_what_the_city_made_its_own(integration):
    portal = integration["portal"]
    with api.env.adopt_roles(["Manager"]):
        made = create_in_language_roots(IDS, "Folder", _("Map"), _("Maps"))
        api.content.create(container=made["en"], type="Document", id="kept")
        remove_from_language_roots(IDS, keep=lambda folder: folder.objectIds())
    assert "probna" not in portal.pl.objectIds() and "probna" not in portal.uk.objectIds()
    assert "trial" in portal.en.objectIds()


def test_an_item_the_city_made_private_stays_private(integration):
    with api.env.adopt_roles(["Manager"]):
        made = create_in_language_roots(IDS, "Folder", _("Map"), _("Maps"))
        api.content.transition(obj=made["pl"], transition="retract")
        create_in_language_roots(IDS, "Folder", _("Map"), _("Maps"))
    assert api.content.get_state(made["pl"]) == "private"
