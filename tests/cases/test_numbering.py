"""Case signs and register numbers: unique, consecutive, no gaps — also when taken at once."""

import threading
import time

import pytest
import transaction
import ZODB
from persistent import Persistent
from ZODB.FileStorage import FileStorage
from zope.annotation.attribute import AttributeAnnotations
from zope.annotation.interfaces import IAttributeAnnotatable
from zope.component import getGlobalSiteManager
from zope.interface import implementer

from ratusz.cases.numbering import case_key
from ratusz.cases.numbering import case_sign
from ratusz.cases.numbering import check_register_pattern
from ratusz.cases.numbering import last_number
from ratusz.cases.numbering import next_case_sign
from ratusz.cases.numbering import next_number
from ratusz.cases.numbering import next_register_number
from ratusz.cases.numbering import register_number


@implementer(IAttributeAnnotatable)
class Site(Persistent):
    """Stands in for the Plone site: something persistent with annotations."""


@pytest.fixture
def annotations_adapter():
    registry = getGlobalSiteManager()
    registry.registerAdapter(AttributeAnnotations)
    yield
    registry.unregisterAdapter(AttributeAnnotations)


@pytest.fixture
def database(tmp_path, annotations_adapter):
    """A real FileStorage database holding a Site, as the instance's is."""
    db = ZODB.DB(FileStorage(str(tmp_path / "Data.fs")))
    with db.transaction() as connection:
        connection.root()["site"] = Site()
    yield db
    db.close()


def test_a_case_sign_is_unit_class_number_and_year():
    assert case_sign("OR", "0012", 1, 2026) == "OR.0012.1.2026"
    assert case_sign("GK", "6733", 124, 2027) == "GK.6733.124.2027"


def test_numbers_run_per_unit_class_and_year(annotations_adapter):
    site = Site()
    assert next_case_sign(site, "OR", "0012", 2026) == "OR.0012.1.2026"
    assert next_case_sign(site, "OR", "0012", 2026) == "OR.0012.2.2026"
    assert next_case_sign(site, "OR", "0013", 2026) == "OR.0013.1.2026"
    assert next_case_sign(site, "FN", "0012", 2026) == "FN.0012.1.2026"
    assert next_case_sign(site, "OR", "0012", 2027) == "OR.0012.1.2027"
    assert last_number(site, case_key("OR", "0012", 2026)) == 2
    assert last_number(site, case_key("USC", "5360", 2026)) == 0


def test_the_incoming_register_numbers_per_year(annotations_adapter):
    site = Site()
    assert next_register_number(site, 2026) == "RPW/1/2026"
    assert next_register_number(site, 2026) == "RPW/2/2026"
    assert next_register_number(site, 2027, "KO-{n}/{yy}") == "KO-1/27"


def test_an_aborted_creation_gives_its_number_back(database):
    connection = database.open()
    site = connection.root()["site"]
    with transaction.manager:
        assert next_number(site, ("case", "OR", "0012", 2026)) == 1
    next_number(site, ("case", "OR", "0012", 2026))  # 2, then the creation fails
    transaction.abort()
    with transaction.manager:
        assert next_number(site, ("case", "OR", "0012", 2026)) == 2
    connection.close()


@pytest.mark.parametrize("lock_seconds", [60, 0], ids=["one process", "several processes"])
def test_numbers_taken_at_once_by_many_threads_are_unique_and_consecutive(
    database, monkeypatch, lock_seconds
):
    """50 creations in 10 threads, each its own connection. In one process they wait for
    each other's lock; with the lock out of reach (as between the processes of a scale-out)
    they conflict and are retried, as Zope retries a request."""
    monkeypatch.setattr("ratusz.cases.numbering.LOCK_SECONDS", lock_seconds)
    key = ("case", "OR", "0012", 2026)
    taken, errors = [], []

    def worker():
        manager = transaction.TransactionManager()
        connection = database.open(transaction_manager=manager)
        try:
            for _ in range(5):
                for attempt in manager.attempts(50):
                    with attempt:
                        number = next_number(connection.root()["site"], key)
                        time.sleep(0.002)  # the rest of a creation: widen the window
                taken.append(number)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(taken) == list(range(1, 51))
    with database.transaction() as connection:
        assert last_number(connection.root()["site"], key) == 50


@pytest.mark.parametrize("pattern", ["RPW/{n}/{yyyy}", "KO-{n}/{yy}", "{n}"])
def test_good_register_patterns(pattern):
    check_register_pattern(pattern)
    assert "17" in register_number(pattern, 17, 2026)


@pytest.mark.parametrize(
    "pattern, message",
    [
        ("RPW/{yyyy}", "The pattern must hold {n}"),
        ("RPW/{n}/{rok}", "Unknown placeholder ${names}"),
        ("RPW/{n", "The pattern has an unclosed brace."),
        ("{n}/{__class__}", "Unknown placeholder"),
    ],
)
def test_bad_register_patterns_are_explained(pattern, message):
    with pytest.raises(ValueError) as raised:
        check_register_pattern(pattern)
    assert str(raised.value.args[0]).startswith(message)
