"""The text index's word entries are stored only when they must be (ratusz.textindex)."""

import pytest
import transaction
from BTrees.IIBTree import IIBTree
from plone import api
from Products.ZCTextIndex.BaseIndex import BaseIndex
from Products.ZCTextIndex.Lexicon import Lexicon
from Products.ZCTextIndex.Lexicon import Splitter
from Products.ZCTextIndex.OkapiIndex import OkapiIndex
from ZODB import DB
from ZODB.FileStorage import FileStorage
from ZODB.POSException import ConflictError

from ratusz import textindex

PATCHED = ("_add_wordinfo", "_mass_add_wordinfo", "_del_wordinfo")


def test_the_patches_are_registered(portal):
    for name in PATCHED:
        assert getattr(BaseIndex, name) is getattr(textindex, name.strip("_"))
        assert callable(getattr(BaseIndex, f"_old_{name}"))  # Products.ZCTextIndex's own


def new_index():
    return OkapiIndex(Lexicon(Splitter()))


def test_an_index_finds_what_it_indexed_across_the_dict_to_tree_change():
    index = new_index()
    for docid in range(1, 13):  # past DICT_CUTOFF (10): the entry becomes an IIBTree
        index.index_doc(docid, f"zaświadczenie wniosek numer{docid}")
    wid = index._lexicon.termToWordIds("zaświadczenie")[0]
    assert isinstance(index._wordinfo[wid], IIBTree)
    assert sorted(index.search("zaświadczenie").keys()) == list(range(1, 13))
    assert list(index.search("numer5").keys()) == [5]

    index.index_doc(3, "wniosek inny")  # reindexed without the word
    assert 3 not in index.search("zaświadczenie")
    assert list(index.search("inny").keys()) == [3]
    for docid in range(1, 13):
        index.unindex_doc(docid)
    assert not index.search("zaświadczenie") and not index.search("wniosek")
    assert index.length() == 0 and index.document_count() == 0


@pytest.fixture
def database(tmp_path):
    """A FileStorage holding an index: a common word in 12 documents (an IIBTree entry) and a
    rare one (a dict entry, in the same bucket) — as in the site's catalog."""
    db = DB(FileStorage(str(tmp_path / "Data.fs")))
    manager = transaction.TransactionManager()
    connection = db.open(transaction_manager=manager)
    index = connection.root()["index"] = new_index()
    for docid in range(1, 13):
        index.index_doc(docid, "zaświadczenie wniosek")
    index.index_doc(13, "rzadkie")
    manager.commit()
    connection.close()
    yield db
    db.close()


def index_at_once(db):
    """Two transactions index a document each with the common words, then commit."""
    sides = []
    for docid in (100, 101):
        manager = transaction.TransactionManager()
        index = db.open(transaction_manager=manager).root()["index"]
        index.index_doc(docid, "zaświadczenie wniosek")
        sides.append(manager)
    sides[0].commit()
    sides[1].commit()


def test_two_documents_with_common_words_indexed_at_once_both_commit(database, portal):
    index_at_once(database)  # Products.ZCTextIndex's own: ConflictError (next test)
    connection = database.open()
    found = connection.root()["index"].search("zaświadczenie")
    assert {100, 101} <= set(found.keys())
    connection.close()


def test_without_the_patch_they_conflicted(database, portal, monkeypatch):
    for name in PATCHED:
        monkeypatch.setattr(BaseIndex, name, getattr(BaseIndex, f"_old_{name}"))
    with pytest.raises(ConflictError):
        index_at_once(database)


def test_the_site_catalog_searches_as_before(portal):
    with api.env.adopt_roles(["Manager"]):
        search_and_delete(portal)


def search_and_delete(portal):
    folder = api.content.create(container=portal, type="Folder", id="szukaj", title="Szukaj")
    for number in range(12):
        api.content.create(
            container=folder, type="Document", id=f"d{number}", title=f"Zaświadczenie {number}"
        )
    found = api.content.find(context=folder, SearchableText="Zaświadczenie", portal_type="Document")
    assert len(found) == 12
    api.content.delete(folder["d0"])
    found = api.content.find(context=folder, SearchableText="Zaświadczenie", portal_type="Document")
    assert len(found) == 11
