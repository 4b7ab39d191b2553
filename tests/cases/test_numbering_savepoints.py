"""Numbers and savepoints in one transaction (a demo profile filing several reports, a batch)."""

import transaction

from ratusz.cases.numbering import last_number
from ratusz.cases.numbering import next_number
from tests.cases.test_numbering import Site
from tests.cases.test_numbering import annotations_adapter  # noqa: F401 (a fixture)
from tests.cases.test_numbering import database  # noqa: F401 (a fixture)

KEY = ("report", 2026)


def test_a_savepoint_can_follow_a_number_and_its_rollback_gives_the_number_back(database):  # noqa: F811
    connection = database.open()
    site = connection.root()["site"]
    with transaction.manager:
        assert next_number(site, KEY) == 1
        savepoint = transaction.savepoint()  # refused ("Savepoints unsupported") before
        assert next_number(site, KEY) == 2
        savepoint.rollback()  # the second creation was refused: its number is free again
        assert last_number(site, KEY) == 1
        transaction.savepoint()
        assert next_number(site, KEY) == 2
    with transaction.manager:
        assert last_number(site, KEY) == 2
        assert next_number(site, KEY) == 3  # the lock was released when the transaction ended
    connection.close()


def test_a_site_made_in_the_same_transaction_numbers_from_one(database):  # noqa: F811
    """As when `make start` creates the site and its demo profiles file reports at once."""
    connection = database.open()
    with transaction.manager:
        site = connection.root()["new-site"] = Site()
        transaction.savepoint()  # the site gets its oid, but is not committed
        assert next_number(site, KEY) == 1
        assert next_number(site, KEY) == 2
    with transaction.manager:
        assert next_number(connection.root()["new-site"], KEY) == 3
    connection.close()
