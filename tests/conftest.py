"""Fixtures shared by the whole suite (pytest-plone over plone.app.testing layers)."""

import os

# .mo files are not committed: zope.i18n compiles them from the .po files when
# this is set before it is imported (the instance's zope.conf sets it too).
os.environ.setdefault("zope_i18n_compile_mo_files", "true")

import pytest  # noqa: E402
from pytest_plone import fixtures_factory  # noqa: E402

from ratusz.testing import RATUSZ_BROWSER_TESTING  # noqa: E402
from ratusz.testing import RATUSZ_FUNCTIONAL_TESTING  # noqa: E402
from ratusz.testing import RATUSZ_INTEGRATION_TESTING  # noqa: E402

pytest_plugins = ["pytest_plone"]

globals().update(
    fixtures_factory(
        (
            (RATUSZ_INTEGRATION_TESTING, "integration"),
            (RATUSZ_FUNCTIONAL_TESTING, "functional"),
            (RATUSZ_BROWSER_TESTING, "browser_layer"),
        ),
        # Each layer is set up once for the session (otherwise zope.pytestlayer
        # sets it up again around every function-style test: ten times slower).
        # The tests are run grouped by layer (pytest_collection_modifyitems
        # below), so each layer's stacked ZODB is in use only while its tests run.
        keep_session=True,
    )
)


@pytest.fixture(scope="session")
def package_name() -> str:
    return "ratusz"


# Each layer takes about a minute to set up (a Plone site with the BIP tree in
# three languages), and pytest-plone tears a layer down before a sibling is
# set up: run the tests grouped by layer so each is set up once.
LAYER_ORDER = (
    ("browser_layer", 3),
    ("site_url", 3),
    ("functional", 2),
    ("functional_app", 2),
    ("functional_portal", 2),
    ("integration", 1),
    ("portal", 1),
    ("app", 1),
    ("http_request", 1),
)


def layer_rank(item):
    """0 for unit tests, then integration, functional and browser tests."""
    names = set(getattr(item, "fixturenames", ()))
    return max((rank for name, rank in LAYER_ORDER if name in names), default=0)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    items.sort(key=layer_rank)


@pytest.fixture(autouse=True)
def empty_ram_cache():
    """Each test starts with plone.memoize's RAM cache empty.

    Cached values (BIP menu sections, rendered fragments) are keyed on the
    catalog counter and ZODB serials; every test starts again from its layer's
    database, so a key from an earlier test could name other content.
    """
    from plone.memoize.ram import global_cache

    global_cache.invalidateAll()
    yield


@pytest.fixture
def mail_queue(tmp_path, monkeypatch):
    """Mail of ``ratusz.mail`` goes through a maildir queue in a temporary directory; yields it.

    As ``<product-config ratusz> mail-queue-directory`` in an instance's
    zope.conf. The queue thread passes over the queue every 0.2 s and tries a
    failed mail again after 1 s (an instance: 3 s and 60 s); it is stopped
    afterwards, so no thread outlives the test.
    """
    from App.config import getConfiguration

    from ratusz.mail import QueuedMailHost
    from ratusz.mail import RetryingQueueProcessorThread

    directory = tmp_path / "mailqueue"
    config = getConfiguration()
    product_config = dict(getattr(config, "product_config", None) or {})
    ratusz_config = dict(product_config.get("ratusz") or {})
    product_config["ratusz"] = {**ratusz_config, "mail-queue-directory": str(directory)}
    monkeypatch.setattr(config, "product_config", product_config, raising=False)
    monkeypatch.setattr(RetryingQueueProcessorThread, "interval", 0.2)
    monkeypatch.setattr(RetryingQueueProcessorThread, "retry_after", 1.0)
    yield directory
    QueuedMailHost("MailHost", smtp_queue_directory=str(directory))._stopQueueProcessorThread()
