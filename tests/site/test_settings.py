"""Validation and reading of the city settings (no Zope needed)."""

import pytest
from zope.interface import Invalid

from ratusz.site.settings import _local_or_absolute
from ratusz.site.settings import safe_colour
from ratusz.site.settings import safe_email
from ratusz.validators import has_no_markup
from ratusz.validators import is_email_or_empty
from ratusz.validators import is_hex_colour
from ratusz.validators import is_url_or_empty


@pytest.mark.parametrize("value", ["#8b1a1a", "#FFFFFF", "#000000"])
def test_hex_colour_accepted(value):
    assert is_hex_colour(value)


@pytest.mark.parametrize(
    "value",
    ["red", "#fff", "#12345g", "", "#8b1a1a;}</style><script>alert(1)</script>", "#" + "a" * 10000],
)
def test_hex_colour_refused(value):
    with pytest.raises(Invalid):
        is_hex_colour(value)


@pytest.mark.parametrize("value", ["<script>alert(1)</script>", "a > b", "<b>"])
def test_markup_refused(value):
    with pytest.raises(Invalid):
        has_no_markup(value)


def test_plain_polish_text_accepted():
    assert has_no_markup("Urząd Miasta Przykładowo, ul. Rynek 1 & 2")


@pytest.mark.parametrize("value", ["", None, "urzad@miasto.pl"])
def test_email_accepted(value):
    assert is_email_or_empty(value)


@pytest.mark.parametrize(
    "value", ["urzad", "a@b", "x@y.pl<script>", '"x"@y.pl', "urzad@x.pl?bcc=spy@evil.example"]
)
def test_email_refused(value):
    with pytest.raises(Invalid):
        is_email_or_empty(value)


@pytest.mark.parametrize(
    "value", ["", None, "/pl/bip", "https://bip.miasto.pl/", "http://x.pl/a?b=c"]
)
def test_url_accepted(value):
    assert is_url_or_empty(value)


@pytest.mark.parametrize(
    "value", ["javascript:alert(1)", "bip.miasto.pl", 'https://x.pl/"onmouseover=x', "/a b"]
)
def test_url_refused(value):
    with pytest.raises(Invalid):
        is_url_or_empty(value)


def test_safe_colour_falls_back_to_the_default_for_bad_values():
    assert safe_colour("#123456", "primary_colour") == "#123456"
    assert safe_colour("red;}</style>", "primary_colour") == "#8b1a1a"
    assert safe_colour(None, "secondary_colour") == "#1d3a5f"


def test_local_or_absolute():
    assert _local_or_absolute("", "http://x/Plone", "/pl/bip") == "http://x/Plone/pl/bip"
    assert _local_or_absolute("/bip", "http://x/Plone/", "/pl/bip") == "http://x/Plone/bip"
    assert _local_or_absolute("https://bip.x.pl", "http://x/Plone", "/pl/bip") == "https://bip.x.pl"


def test_safe_email():
    assert safe_email("urzad@miasto.pl") == "urzad@miasto.pl"
    assert safe_email("urzad@x.pl?bcc=spy@evil.example") is None
    assert safe_email(None) is None


def test_bad_link_in_the_registry_falls_back_to_this_site():
    assert (
        _local_or_absolute("javascript:alert(1)", "http://x/Plone", "/pl/bip")
        == "http://x/Plone/pl/bip"
    )
