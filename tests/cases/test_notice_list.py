"""Notices given to one person at the same moment by two transactions both stay."""

import pytest
import transaction
from persistent.list import PersistentList
from persistent.mapping import PersistentMapping
from ZODB import DB
from ZODB.FileStorage import FileStorage
from ZODB.POSException import ConflictError

import ratusz.cases.notices as notices
from ratusz.cases.notices import NoticeList


@pytest.fixture
def db(tmp_path):
    # FileStorage, as the embedded default: it resolves conflicts (MappingStorage does not).
    database = DB(FileStorage(str(tmp_path / "Data.fs")))
    manager = transaction.TransactionManager()
    connection = database.open(transaction_manager=manager)
    connection.root()["notices"] = NoticeList([PersistentMapping(text="old")])
    manager.commit()
    connection.close()
    yield database
    database.close()


def two_sides(db):
    """Two connections, each with its own transaction, as two Zope threads have."""
    sides = []
    for _ in range(2):
        manager = transaction.TransactionManager()
        connection = db.open(transaction_manager=manager)
        sides.append((manager, connection.root()["notices"]))
    return sides


def texts(db):
    manager = transaction.TransactionManager()
    connection = db.open(transaction_manager=manager)
    try:
        return [entry["text"] for entry in connection.root()["notices"]]
    finally:
        connection.close()


def test_two_new_notices_at_once_are_both_kept(db):
    (first, first_list), (second, second_list) = two_sides(db)
    first_list.insert(0, PersistentMapping(text="first"))
    second_list.insert(0, PersistentMapping(text="second"))
    first.commit()
    second.commit()  # without the resolution: ConflictError, the request published again
    assert texts(db) == ["second", "first", "old"]


def test_the_merged_list_keeps_at_most_keep_notices(db, monkeypatch):
    monkeypatch.setattr(notices, "KEEP", 2)
    (first, first_list), (second, second_list) = two_sides(db)
    first_list.insert(0, PersistentMapping(text="first"))
    second_list.insert(0, PersistentMapping(text="second"))
    del second_list[2:]
    first.commit()
    second.commit()
    assert texts(db) == ["second", "first"]


def test_a_removed_notice_is_still_a_conflict(db):
    (first, first_list), (second, second_list) = two_sides(db)
    first_list.insert(0, PersistentMapping(text="first"))
    del second_list[0]
    first.commit()
    with pytest.raises(ConflictError):
        second.commit()
    second.abort()
    assert texts(db) == ["first", "old"]


def test_a_list_kept_before_becomes_a_notice_list_at_the_next_notice(functional):
    from zope.annotation.interfaces import IAnnotations

    from ratusz.cases.notices import KEY
    from ratusz.cases.notices import notices_for
    from ratusz.cases.notices import notify

    portal = functional["portal"]
    notify(["urzednik"], "Pierwsza", portal.absolute_url(), mail=False)
    storage = IAnnotations(portal)[KEY]
    storage["urzednik"] = PersistentList(storage["urzednik"])  # as kept before
    notify(["urzednik"], "Druga", portal.absolute_url(), mail=False)
    assert type(storage["urzednik"]) is NoticeList
    assert [n["text"] for n in notices_for("urzednik")] == ["Druga", "Pierwsza"]
