"""The BIP arrives with ratusz:default: types, workflows, roles and the tree."""

import pytest
from plone import api
from plone.app.multilingual.interfaces import ITranslationManager

from ratusz.bip.interfaces import IBipRoot

ITEM_TYPES = [
    "BipPage",
    "BipLegalAct",
    "BipAnnouncement",
    "BipProcurement",
    "BipJobVacancy",
    "BipAssetDeclaration",
]


@pytest.mark.parametrize("portal_type", ["BipSection", *ITEM_TYPES])
def test_types_installed_with_their_workflow(portal, portal_type):
    assert portal_type in api.portal.get_tool("portal_types")
    chain = api.portal.get_tool("portal_workflow").getChainForPortalType(portal_type)
    expected = (
        "ratusz_bip_section_workflow" if portal_type == "BipSection" else "ratusz_bip_workflow"
    )
    assert chain == (expected,)


@pytest.mark.parametrize("portal_type", ITEM_TYPES)
def test_items_are_versioned_on_every_edit(portal, portal_type):
    repository = api.portal.get_tool("portal_repository")
    assert portal_type in repository.getVersionableContentTypes()
    assert "at_edit_autoversion" in repository.getPolicyMap()[portal_type]


def test_bip_root_in_every_language(portal):
    for language in ("pl", "en", "uk"):
        root = portal[language]["bip"]
        assert IBipRoot.providedBy(root)
        assert api.content.get_state(root) == "published"
    translations = ITranslationManager(portal.pl.bip).get_translations()
    assert set(translations) == {"pl", "en", "uk"}


def test_subject_menu_of_a_city_hall(portal):
    bip = portal.pl.bip
    for section_id in (
        "status-prawny",
        "organy",
        "prawo-lokalne",
        "budzet-i-finanse",
        "zamowienia-publiczne",
        "ogloszenia-i-obwieszczenia",
        "nabor-na-stanowiska",
        "oswiadczenia-majatkowe",
        "informacje-nieudostepnione",
    ):
        assert section_id in bip.objectIds(), section_id
    assert bip["prawo-lokalne"]["uchwaly"].register_type == "BipLegalAct"
    assert bip.organy["rada-miasta"].glosowania.title == "Głosowania imienne"
    assert portal.en.bip["local-law"].resolutions.title == "Council resolutions"


def test_instruction_page_published_with_metadata(portal):
    page = portal.pl.bip["instrukcja-obslugi"]
    assert api.content.get_state(page) == "published"
    assert page.effective_date is not None
    assert page.bip_producing_unit == "Wydział Organizacyjny"


def test_install_twice_changes_nothing(portal):
    from ratusz.bip.structure import create_bip

    before = len(api.content.find(portal_type="BipSection"))
    create_bip(portal)
    assert len(api.content.find(portal_type="BipSection")) == before


def test_bip_staff_save_versions_of_items_they_do_not_own(portal):
    """An edit saves a CMFEditions version: BIP roles need that permission on BIP items."""
    from datetime import date

    from plone.namedfile.file import NamedBlobFile
    from zope.annotation.interfaces import IAnnotations
    from zope.lifecycleevent import modified

    for login, group in (("ewa", "ratusz-bip-editors"), ("zofia", "ratusz-bip-administrators")):
        api.user.create(username=login, email=f"{login}@example.org", password="secret-1234")
        api.group.add_user(groupname=group, username=login)
    with api.env.adopt_user(username="ewa"):
        act = api.content.create(
            container=portal.pl.bip["prawo-lokalne"]["uchwaly"],
            type="BipLegalAct",
            title="w sprawie testu",
            act_kind="resolution",
            act_number="I/1/2026",
            act_date=date(2026, 1, 5),
            act_body="council",
            act_file=NamedBlobFile(b"%PDF-1.4 test", filename="a.pdf"),
            bip_produced_by="Ewa",
            bip_producing_unit="Biuro Rady",
            bip_responsible="Zofia",
            bip_date_produced=date(2026, 1, 5),
        )
    repository = api.portal.get_tool("portal_repository")
    with api.env.adopt_user(username="zofia"):
        api.content.transition(obj=act, transition="publish")
        act.title = "w sprawie testu (poprawione)"
        IAnnotations(act.REQUEST)["plone.app.versioningbehavior-changeNote"] = "Poprawka"
        modified(act)
    with api.env.adopt_user(username="ewa"):
        history = repository.getHistoryMetadata(act)
        comments = [
            history.retrieve(i)["metadata"]["sys_metadata"]["comment"]
            for i in range(history.getLength(countPurged=False))
        ]
        assert "Poprawka" in comments
        assert api.user.has_permission("CMFEditions: Save new version", obj=act)


def test_versioning_cannot_be_switched_off_in_the_bip(portal):
    from plone.app.versioningbehavior.behaviors import IVersionable

    page = portal.pl.bip["instrukcja-obslugi"]
    IVersionable(page).versioning_enabled = False
    assert IVersionable(page).versioning_enabled is True
    assert api.portal.get_tool("portal_repository").isVersionable(page)
