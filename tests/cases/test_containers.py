"""The register folders: additions leave the folder's own record alone (no conflicts on it)."""

from datetime import date

import pytest
import transaction
from Acquisition import aq_base
from plone import api
from plone.dexterity.content import Container
from ZODB import DB
from ZODB.FileStorage import FileStorage

from ratusz.cases.case import create_case
from ratusz.cases.containers import RegisterFolder
from ratusz.cases.containers import use_register_class
from ratusz.cases.incoming import create_incoming_item


@pytest.fixture
def portal(functional):
    return functional["portal"]


def unchanged_after(folder, add):
    """Add through ``add()`` after a first addition (which gives the folder its content rules'
    annotation, once) was committed; the folder's record written? and its modification date."""
    add()
    transaction.commit()
    before = folder.modified()
    added = add()
    return added, bool(folder._p_changed), folder.modified() == before


def test_an_incoming_item_does_not_rewrite_the_register(portal):
    register = portal.intranet.kancelaria
    assert isinstance(register, RegisterFolder)

    def add():
        with api.env.adopt_user(username="kancelaria"):
            return create_incoming_item(register, title="Wniosek", sender="Jan Kowalski")

    item, written, same_date = unchanged_after(register, add)
    assert not written and same_date
    transaction.commit()
    # announced as always: numbered, catalogued, listed
    assert item.number.startswith("RPW/")
    catalog = api.portal.get_tool("portal_catalog")
    found = catalog.unrestrictedSearchResults(UID=api.content.get_uuid(item))
    assert [b._unrestrictedGetObject() for b in found] == [item]
    assert item.getId() in register.objectIds()


def open_case(folder, title="Zaświadczenie"):
    with api.env.adopt_user(username="admin"):
        return create_case(
            folder,
            title=title,
            department="OR",
            jrwa="0020",
            kind="certificate",
            parties=["Jan Kowalski"],
            start_date=date.today(),
        )


def test_a_case_does_not_rewrite_the_case_folder(portal):
    folder = portal.intranet.sprawy
    case, written, same_date = unchanged_after(folder, lambda: open_case(folder))
    assert not written and same_date
    transaction.commit()
    assert case.sign.startswith("OR.0020.")
    catalog = api.portal.get_tool("portal_catalog")
    assert len(catalog.unrestrictedSearchResults(UID=api.content.get_uuid(case))) == 1


def test_a_case_folder_still_changes_when_a_case_is_removed(portal):
    # Removal keeps Plone's behaviour (rare, and done by an administrator).
    folder = portal.intranet.sprawy
    case = open_case(folder, "Do usunięcia")
    transaction.commit()
    with api.env.adopt_roles(["Manager"]):
        api.content.delete(case, check_linkintegrity=False)
    assert folder._p_changed


def test_an_old_folder_becomes_a_register_folder_for_good(tmp_path):
    """After the upgrade and a restart the folder is still a RegisterFolder: the parent's
    reference (which carries a hint of the class) was stored again."""
    path = str(tmp_path / "Data.fs")
    db = DB(FileStorage(path))
    connection = db.open()
    root = connection.root()
    intranet = Container("intranet")
    root["intranet"] = intranet
    intranet._setOb("kancelaria", Container("kancelaria"))
    transaction.commit()

    assert use_register_class(intranet["kancelaria"]) is True
    assert use_register_class(intranet["kancelaria"]) is False  # once is enough
    transaction.commit()
    connection.close()
    db.close()

    db = DB(FileStorage(path))
    try:
        folder = db.open().root()["intranet"]["kancelaria"]
        assert type(aq_base(folder)) is RegisterFolder
        assert folder.getId() == "kancelaria"
    finally:
        db.close()
