"""Fixtures shared by the whole suite (pytest-plone over plone.app.testing layers)."""

import pytest
from pytest_plone import fixtures_factory

from ratusz.testing import RATUSZ_BROWSER_TESTING
from ratusz.testing import RATUSZ_FUNCTIONAL_TESTING
from ratusz.testing import RATUSZ_INTEGRATION_TESTING

pytest_plugins = ["pytest_plone"]

globals().update(
    fixtures_factory(
        (
            (RATUSZ_INTEGRATION_TESTING, "integration"),
            (RATUSZ_FUNCTIONAL_TESTING, "functional"),
            (RATUSZ_BROWSER_TESTING, "browser_layer"),
        )
    )
)


@pytest.fixture(scope="session")
def package_name() -> str:
    return "ratusz"
