"""The per-request snapshot of the city settings used by every page's viewlets."""

from plone import api

from ratusz.site.settings import city_settings_for_display


def test_snapshot_has_every_setting(portal, http_request):
    snapshot = city_settings_for_display(http_request)
    assert snapshot.city_name == "Przykładowo"
    assert snapshot.primary_colour == "#8b1a1a"
    assert not hasattr(snapshot, "coat_of_arms")  # served by its own view, not read per page


def test_snapshot_is_read_once_per_request(portal, http_request):
    first = city_settings_for_display(http_request)
    api.portal.set_registry_record("ratusz.city.city_name", "Inne Miasto")
    assert city_settings_for_display(http_request) is first


def test_next_request_sees_the_change(portal, http_request):
    from ZPublisher.HTTPRequest import HTTPRequest
    from ZPublisher.HTTPResponse import HTTPResponse

    city_settings_for_display(http_request)
    api.portal.set_registry_record("ratusz.city.city_name", "Inne Miasto")
    next_request = HTTPRequest(None, {"SERVER_NAME": "nohost", "SERVER_PORT": "80"}, HTTPResponse())
    assert city_settings_for_display(next_request).city_name == "Inne Miasto"
