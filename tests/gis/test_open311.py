# ruff: noqa: F811 (the boards fixture is imported)
"""Open311 GeoReport v2 at /Plone/open311/v2: each endpoint, format, filter and error.

Every call goes through the publisher as a third-party application's would
(webtest over the functional layer's WSGI app); what the answers must hold is
GeoReport v2's (http://wiki.open311.org/GeoReport_v2).
"""

import json
from datetime import date
from datetime import datetime
from datetime import timedelta
from datetime import timezone
from urllib.parse import urlencode

import pytest
import transaction
from DateTime import DateTime
from lxml import etree
from plone import api
from plone.testing.zope import Browser

from ratusz.demo import DEMO_USERS
from ratusz.gis.open311.keys import issue_key
from ratusz.gis.open311.keys import revoke_key
from ratusz.gis.open311.store import open311_store
from ratusz.gis.open311.tokens import GUESSES
from ratusz.gis.reports.tracking import find_report
from tests.gis.reports_helpers import boards  # noqa: F401 (a fixture)
from tests.gis.reports_helpers import file_report
from tests.gis.reports_helpers import transition

YEAR = date.today().year
FIRST = f"ZG/{YEAR}/00001"
REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]
SERVICE_FIELDS = [
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
]
PERSONAL = ("Jan Kowalski", "jan@example.org", "600100200", "Kowalski")


@pytest.fixture
def site(functional, boards):
    """The site with its boards; the token throttle emptied."""
    GUESSES.clear()
    return functional


def base(site):
    return f"{site['portal'].absolute_url()}/open311/v2"


def caller(site):
    return Browser(site["app"]).testapp


def get(site, path, headers=None, **params):
    headers = {"Accept-Language": "en", **(headers or {})}
    return caller(site).get(
        f"{base(site)}/{path}", params=params, headers=headers, expect_errors=True
    )


def post(site, fmt="json", headers=None, **params):
    headers = {"Accept-Language": "en", **(headers or {})}
    return caller(site).post(
        f"{base(site)}/requests.{fmt}", params=params, headers=headers, expect_errors=True
    )


def xml_of(response):
    assert response.content_type == "text/xml"
    assert response.body.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    return etree.fromstring(response.body)


def errors_in(response):
    """The spec's errors, from JSON or XML: ``[(code, description)]``."""
    if response.content_type == "text/xml":
        root = xml_of(response)
        assert root.tag == "errors"
        return [
            (int(error.findtext("code")), error.findtext("description"))
            for error in root.findall("error")
        ]
    assert response.content_type == "application/json"
    return [(error["code"], error["description"]) for error in response.json]


def new_key(name="Naprawmy.to"):
    with api.env.adopt_roles(["Manager"]):
        key_id, key = issue_key(name, "kontakt@naprawmy.to", "administrator")
    transaction.commit()
    return key_id, key


def report_count(site):
    transaction.begin()
    catalog = api.portal.get_tool("portal_catalog")
    return len(catalog.unrestrictedSearchResults(portal_type="CitizenReport"))


def valid_post(key, **params):
    values = {
        "api_key": key,
        "service_code": "lighting",
        "lat": "51.7621",
        "long": "18.0906",
        "address_string": "ul. Główna 1",
        "description": "Nie świeci latarnia przy przystanku.",
        "email": "jan@example.org",
        "first_name": "Jan",
        "last_name": "Kowalski",
        "phone": "600100200",
        "device_id": "device-42",
        "account_id": "konto-7",
    }
    values.update(params)
    return {name: value for name, value in values.items() if value is not None}


def public_report(site, state="accepted", **fields):
    values = {"email": "jan@example.org", "name": "Jan Kowalski", "phone": "600100200"}
    values.update(fields)
    report, _token = file_report(site["portal"].pl.zgloszenia, **values)
    path = {
        "new": (),
        "accepted": ("accept",),
        "in_progress": ("accept", "start"),
        "resolved": ("accept", "resolve"),
        "rejected": ("reject",),
    }[state]
    for name in path:
        transition(report, name)
    return report


def created_days_ago(report, days):
    with api.env.adopt_roles(["Manager"]):
        report.creation_date = DateTime() - days
        report.reindexObject()
    transaction.commit()


# --- discovery and services ------------------------------------------------------------------


def test_discovery_names_the_endpoint_in_both_formats(site):
    response = get(site, "discovery.json")
    assert response.status_int == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    body = response.json
    assert set(body) == {"changeset", "contact", "key_service", "endpoints"}
    endpoint = body["endpoints"][0]
    assert endpoint == {
        "specification": "http://wiki.open311.org/GeoReport_v2",
        "url": base(site),
        "changeset": body["changeset"],
        "type": "production",
        "formats": ["text/xml", "application/json"],
    }
    assert datetime.fromisoformat(body["changeset"]).tzinfo is not None

    root = xml_of(get(site, "discovery.xml"))
    assert root.tag == "discovery"
    assert [child.tag for child in root] == ["changeset", "contact", "key_service", "endpoints"]
    endpoint = root.find("endpoints/endpoint")
    assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint.findtext("type") == "production"
    assert [f.text for f in endpoint.findall("formats/format")] == [
        "text/xml",
        "application/json",
    ]


def test_discovery_says_whom_to_ask_for_a_key(site):
    api.portal.set_registry_record("plone.email_from_address", "api@przykladowo.pl")
    transaction.commit()
    body = get(site, "discovery.json").json
    assert "api@przykladowo.pl" in body["contact"]
    assert "api@przykladowo.pl" in body["key_service"]


def test_a_client_asking_for_json_in_accept_gets_the_same_answer(site):
    # plone.rest takes such requests for its services: the endpoint must still answer
    response = get(site, "services/lighting.json", headers={"Accept": "application/json"})
    assert response.status_int == 200
    assert response.json == {"service_code": "lighting", "attributes": []}
    assert get(site, "services", headers={"Accept": "text/xml"}).content_type == "text/xml"


def test_services_are_the_report_categories_in_the_asked_language(site):
    response = get(site, "services.json", locale="en")
    assert response.status_int == 200
    services = response.json
    assert [service["service_code"] for service in services][:2] == ["road", "lighting"]
    lighting = services[1]
    assert list(lighting) == SERVICE_FIELDS
    assert lighting["service_name"] == "Street lighting"
    assert lighting["metadata"] is False
    assert lighting["type"] == "realtime"
    assert "Oświetlenie uliczne" in lighting["keywords"]
    # Polish by default, Ukrainian by Accept-Language; locale wins over the header
    polish = get(site, "services.json", headers={"Accept-Language": "de"}).json
    assert polish[1]["service_name"] == "Oświetlenie uliczne"
    ukrainian = get(site, "services.json", headers={"Accept-Language": "uk-UA,uk;q=0.9"}).json
    assert ukrainian[1]["service_name"] == "Вуличне освітлення"

    root = xml_of(get(site, "services.xml", locale="en"))
    assert root.tag == "services"
    first = root.find("service")
    assert [child.tag for child in first] == SERVICE_FIELDS
    assert first.findtext("metadata") == "false"
    assert first.findtext("service_code") == "road"


def test_a_service_definition_has_no_attributes_and_an_unknown_code_is_404(site):
    response = get(site, "services/lighting.json")
    assert response.status_int == 200
    assert response.json == {"service_code": "lighting", "attributes": []}
    root = xml_of(get(site, "services/lighting.xml"))
    assert root.tag == "service_definition"
    assert [child.tag for child in root] == ["service_code", "attributes"]
    assert len(root.find("attributes")) == 0

    for fmt in ("json", "xml"):
        missing = get(site, f"services/no-such.{fmt}")
        assert missing.status_int == 404
        [(code, description)] = errors_in(missing)
        assert code == 404 and description


@pytest.mark.parametrize(
    "path, status",
    [
        ("v2/services", 400),  # no format
        ("v2/services.csv", 400),
        ("v2/nothing.json", 404),
        ("v3/services.json", 404),
        ("v2/services/a/b.json", 404),
        ("", 404),
    ],
)
def test_wrong_paths_get_the_spec_errors(site, path, status):
    url = f"{site['portal'].absolute_url()}/open311/{path}".rstrip("/")
    response = caller(site).get(url, expect_errors=True)
    assert response.status_int == status
    [(code, description)] = errors_in(response)
    assert code == status and description


def test_only_requests_take_a_post(site):
    response = caller(site).post(f"{base(site)}/services.xml", expect_errors=True)
    assert response.status_int == 405
    assert errors_in(response)[0][0] == 405


# --- filing a request ------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_post_without_a_valid_key_is_refused_and_makes_nothing(site, fmt):
    key_id, key = new_key()
    with api.env.adopt_roles(["Manager"]):
        revoke_key(key_id, "administrator")
    transaction.commit()
    before = report_count(site)
    for wrong in (None, "", "o311-00000000-" + "x" * 43, key, key[:-1] + "A", "<script>"):
        response = post(site, fmt, **valid_post(wrong))
        assert response.status_int == 403, wrong
        [(code, description)] = errors_in(response)
        assert code == 403 and description.startswith("api_key")
    assert report_count(site) == before


def test_a_post_with_a_good_key_files_a_report_to_be_moderated(site):
    key_id, key = new_key()
    response = post(site, **valid_post(key))
    assert response.status_int == 200, response.body
    assert "Access-Control-Allow-Origin" not in response.headers
    [answer] = response.json
    assert list(answer) == ["service_request_id", "token", "service_notice", "account_id"]
    assert answer["service_request_id"] == FIRST
    assert answer["account_id"] == "konto-7"
    token = answer["token"]

    transaction.begin()
    report = find_report(FIRST)
    assert api.content.get_state(report) == "new"
    assert report.reporter_name == "Jan Kowalski"
    assert report.reporter_email == "jan@example.org"
    assert report.open311_key == key_id
    assert report.open311_device_id == "device-42"
    assert open311_store()["keys"][key_id]["uses"] == 1

    # the token finds the request at once; the lists do not show it before moderation
    found = get(site, f"tokens/{token}.json")
    assert found.status_int == 200
    assert found.json == [{"service_request_id": FIRST, "token": token}]
    root = xml_of(get(site, f"tokens/{token}.xml"))
    assert root.tag == "service_requests"
    assert [child.tag for child in root.find("request")] == ["service_request_id", "token"]
    assert get(site, "requests.json").json == []
    assert get(site, f"requests/{FIRST}.json").status_int == 404

    # staff accept it: it is public, open, and says nothing about the reporter
    transition(report, "accept")
    listed = get(site, "requests.json")
    assert [request["service_request_id"] for request in listed.json] == [FIRST]
    one = get(site, f"requests/{FIRST}.json")
    assert one.status_int == 200
    [request] = one.json
    assert list(request) == REQUEST_FIELDS
    assert request["status"] == "open"
    assert request["service_code"] == "lighting"
    assert request["service_name"] == "Street lighting"
    assert request["lat"] == pytest.approx(51.7621)
    assert request["long"] == pytest.approx(18.0906)
    assert request["address"] == "ul. Główna 1"
    assert request["media_url"] is None
    one_xml = xml_of(get(site, f"requests/{FIRST}.xml"))
    assert one_xml.tag == "service_requests"
    assert [child.tag for child in one_xml.find("request")] == REQUEST_FIELDS
    assert one_xml.find("request").findtext("status") == "open"
    for text in (listed.body, one.body, found.body):
        assert not any(value.encode() in text for value in PERSONAL)
        assert b"device-42" not in text and b"konto-7" not in text


def test_a_post_answers_in_xml(site):
    _key_id, key = new_key()
    response = post(site, "xml", **valid_post(key, media_url="http://169.254.169.254/x.jpg"))
    assert response.status_int == 200
    root = xml_of(response)
    assert root.tag == "service_requests"
    request = root.find("request")
    assert [child.tag for child in request] == [
        "service_request_id",
        "token",
        "service_notice",
        "account_id",
    ]
    # the photo at media_url is not fetched, and the notice says so
    assert "media_url" in request.findtext("service_notice")
    transaction.begin()
    assert find_report(FIRST).photo is None


@pytest.mark.parametrize(
    "params, parameter",
    [
        ({"service_code": None}, "service_code"),
        ({"service_code": "no-such"}, "service_code"),
        ({"description": None}, "description"),
        ({"description": "x" * 2001}, "description"),
        ({"description": "x" * 200_000}, "description"),
        ({"lat": "pięćdziesiąt"}, "lat"),
        ({"lat": "95"}, "lat"),
        ({"long": "NaN"}, "long"),
        ({"long": None}, "long"),
        ({"lat": None, "long": None, "address_string": None}, "lat"),
        ({"lat": None, "long": None, "address_string": None, "address_id": "17"}, "address_id"),
        ({"address_string": "<script>alert(1)</script>"}, "address_string"),
        ({"address_string": "x" * 301}, "address_string"),
        ({"first_name": "<b>Jan</b>"}, "first_name"),
        ({"email": "not-an-address"}, "email"),
        ({"phone": "call me maybe"}, "phone"),
        ({"device_id": "x" * 101}, "device_id"),
        ({"account_id": "<img src=x>"}, "account_id"),
    ],
)
def test_wrong_input_is_a_400_naming_the_parameter_and_makes_nothing(site, params, parameter):
    _key_id, key = new_key()
    before = report_count(site)
    for fmt in ("json", "xml"):
        response = post(site, fmt, **valid_post(key, **params))
        assert response.status_int == 400, response.body
        [(code, description)] = errors_in(response)
        assert code == 400
        assert description.startswith(f"{parameter}: ")
        assert "Access-Control-Allow-Origin" not in response.headers
    assert report_count(site) == before
    transaction.begin()
    assert not open311_store()["tokens"]


def test_script_in_the_description_is_kept_as_text_and_escaped(site):
    _key_id, key = new_key()
    hostile = "<script>alert('x')</script> & dziura"
    post(site, **valid_post(key, description=hostile))
    transaction.begin()
    transition(find_report(FIRST), "accept")
    as_json = get(site, "requests.json")
    assert as_json.json[0]["description"] == hostile
    assert as_json.content_type == "application/json"
    as_xml = get(site, "requests.xml")
    assert b"<script>" not in as_xml.body
    assert xml_of(as_xml).find("request").findtext("description") == hostile


def test_control_characters_never_break_the_xml(site):
    _key_id, key = new_key()
    answer = post(
        site, **valid_post(key, address_string="ul.\x01 Główna\x7f 1", description="a\x00b")
    )
    assert answer.status_int == 200, answer.body
    transaction.begin()
    transition(find_report(FIRST), "accept")
    request = xml_of(get(site, "requests.xml")).find("request")
    assert request.findtext("description") == "ab"
    assert "Główna" in request.findtext("address")


def test_too_many_posts_with_one_key_are_a_429(site):
    api.portal.set_registry_record("ratusz.gis.reports.open311_reports_per_hour", 1)
    _key_id, key = new_key()
    assert post(site, **valid_post(key)).status_int == 200
    refused = post(site, **valid_post(key))
    assert refused.status_int == 429
    assert errors_in(refused)[0][0] == 429
    assert report_count(site) == 1


def post_from(site, address, **params):
    """A POST from the server at ``address`` (one application filing for many residents)."""
    return caller(site).post(
        f"{base(site)}/requests.json",
        params=params,
        headers={"Accept-Language": "en"},
        extra_environ={"REMOTE_ADDR": address},
        expect_errors=True,
    )


def test_an_application_is_counted_per_key_not_with_the_web_form_of_its_address(site):
    from ratusz.gis.reports.create import ReportRefused

    api.portal.set_registry_record("ratusz.gis.reports.reports_per_hour", 1)
    api.portal.set_registry_record("ratusz.gis.reports.open311_reports_per_hour", 3)
    transaction.commit()
    server = "203.0.113.50"
    _key_id, key = new_key()
    # more than the address's hourly limit: each key has its own
    for _attempt in range(3):
        assert post_from(site, server, **valid_post(key)).status_int == 200
    refused = post_from(site, server, **valid_post(key))
    assert refused.status_int == 429 and errors_in(refused)[0][0] == 429
    _other_id, other = new_key("Druga aplikacja")
    assert post_from(site, server, **valid_post(other)).status_int == 200
    assert report_count(site) == 4
    # the web form of the same address has its own limit, untouched by the keys
    file_report(site["portal"].pl.zgloszenia, client=server)
    with pytest.raises(ReportRefused):
        file_report(site["portal"].pl.zgloszenia, client=server)
    transaction.abort()


# --- tokens ----------------------------------------------------------------------------------


def test_an_unknown_token_is_404_and_guessing_is_throttled(site):
    _key_id, key = new_key()
    token = post(site, **valid_post(key)).json[0]["token"]
    for fmt in ("json", "xml"):
        wrong = get(site, f"tokens/AAAA-BBBB-CCCC.{fmt}")
        assert wrong.status_int == 404
        assert errors_in(wrong)[0][0] == 404
    # a token handed out by the site's form is not known here (only Open311's are listed)
    _report, form_token = file_report(site["portal"].pl.zgloszenia)
    assert get(site, f"tokens/{form_token}.json").status_int == 404
    limit = api.portal.get_registry_record("ratusz.gis.reports.status_attempts")
    for _attempt in range(limit):
        get(site, "tokens/AAAA-BBBB-CCCC.json")
    throttled = get(site, f"tokens/{token}.json")
    assert throttled.status_int == 429
    GUESSES.clear()
    assert get(site, f"tokens/{token}.json").status_int == 200


# --- listing requests ------------------------------------------------------------------------


def test_only_public_reports_are_listed_with_their_status(site):
    reports = {
        state: public_report(site, state)
        for state in ("new", "accepted", "in_progress", "resolved", "rejected")
    }
    listed = {r["service_request_id"]: r["status"] for r in get(site, "requests.json").json}
    numbers = {state: report.report_number for state, report in reports.items()}
    assert listed == {
        numbers["accepted"]: "open",
        numbers["in_progress"]: "open",
        numbers["resolved"]: "closed",
    }
    for state in ("new", "rejected"):
        hidden = get(site, f"requests/{numbers[state]}.xml")
        assert hidden.status_int == 404
        assert errors_in(hidden)[0][0] == 404
    # the number also reads as the report's id in its URL
    encoded = numbers["accepted"].replace("/", "%2F")
    assert get(site, f"requests/{encoded}.json").status_int == 200
    dashed = numbers["accepted"].lower().replace("/", "-")
    assert get(site, f"requests/{dashed}.json").json[0]["service_request_id"] == numbers["accepted"]
    as_xml = xml_of(get(site, "requests.xml"))
    assert as_xml.tag == "service_requests"
    assert {request.tag for request in as_xml} == {"request"}
    assert [child.tag for child in as_xml.find("request")] == REQUEST_FIELDS
    assert {r.findtext("status") for r in as_xml} == {"open", "closed"}
    for body in (get(site, "requests.json").body, get(site, "requests.xml").body):
        assert not any(value.encode() in body for value in PERSONAL)


def test_the_status_and_service_code_filters(site):
    road = public_report(site, "accepted", category="road")
    light = public_report(site, "in_progress")
    done = public_report(site, "resolved")

    def numbers(**params):
        response = get(site, "requests.json", **params)
        assert response.status_int == 200, response.body
        return sorted(request["service_request_id"] for request in response.json)

    assert numbers(status="open") == sorted([road.report_number, light.report_number])
    assert numbers(status="closed") == [done.report_number]
    assert numbers(status="open,closed") == sorted(
        [road.report_number, light.report_number, done.report_number]
    )
    assert numbers(service_code="road") == [road.report_number]
    assert numbers(service_code="road,lighting", status="closed") == [done.report_number]
    assert numbers(service_code="no-such") == []
    bad = get(site, "requests.xml", status="pending")
    assert bad.status_int == 400
    assert errors_in(bad)[0][1].startswith("status: ")


def test_service_request_id_lists_requests_and_ignores_the_other_filters(site):
    one = public_report(site, "accepted")
    two = public_report(site, "resolved")
    hidden = public_report(site, "new")
    ids = ",".join([one.report_number, two.report_number, hidden.report_number, "nonsense"])
    response = get(site, "requests.json", service_request_id=ids, status="open")
    assert sorted(r["service_request_id"] for r in response.json) == sorted(
        [one.report_number, two.report_number]
    )


def test_the_date_filters_and_the_default_90_days(site):
    recent = public_report(site, "accepted")
    older = public_report(site, "accepted")
    created_days_ago(older, 120)

    def numbers(**params):
        response = get(site, "requests.json", **params)
        assert response.status_int == 200, response.body
        return [request["service_request_id"] for request in response.json]

    # by default the last 90 days
    assert numbers() == [recent.report_number]
    now = datetime.now(timezone.utc)
    assert numbers(
        start_date=(now - timedelta(days=130)).isoformat(),
        end_date=(now - timedelta(days=100)).isoformat(),
    ) == [older.report_number]
    assert numbers(start_date=(now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")) == [
        recent.report_number
    ]
    assert numbers(end_date=(now - timedelta(days=100)).isoformat()) == [older.report_number]
    # the spec's dates carry a zone; a date alone is the office's day
    assert numbers(
        start_date=(now - timedelta(days=125)).date().isoformat(),
        end_date=(now - timedelta(days=110)).date().isoformat(),
    ) == [older.report_number]


@pytest.mark.parametrize(
    "params, parameter",
    [
        ({"start_date": "yesterday"}, "start_date"),
        ({"start_date": "0001-01-01T00:00:00Z"}, "start_date"),
        ({"end_date": "9999-12-31T23:59:59+14:00"}, "end_date"),
        ({"start_date": "2026-01-01T00:00:00Z" * 1000}, "start_date"),
        ({"end_date": "2026-13-45T00:00:00Z"}, "end_date"),
        ({"start_date": "2026-05-01T00:00:00Z", "end_date": "2026-04-01T00:00:00Z"}, "end_date"),
        ({"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"}, "end_date"),
    ],
)
def test_wrong_dates_are_a_400(site, params, parameter):
    for fmt in ("json", "xml"):
        response = get(site, f"requests.{fmt}", **params)
        assert response.status_int == 400
        [(code, description)] = errors_in(response)
        assert code == 400 and description.startswith(f"{parameter}: ")


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(
    "method, params",
    [
        ("GET", {"lat:float": "abc"}),
        ("GET", {"start_date:int": "x"}),
        ("GET", {"start_date:date": "not a date"}),
        ("GET", {"status:required": ""}),
        ("POST", {"lat:float": "abc"}),
        ("POST", {"long:int": "x", "service_code": "lighting"}),
    ],
)
def test_zope_type_suffixes_that_do_not_convert_are_a_400_not_a_500(site, fmt, method, params):
    _key_id, key = new_key()
    url = f"{base(site)}/requests.{fmt}"
    headers = {"Accept-Language": "en"}
    if method == "GET":
        response = caller(site).get(url, params=params, headers=headers, expect_errors=True)
    else:
        params = {"api_key": key, **params}
        response = caller(site).post(url, params=params, headers=headers, expect_errors=True)
    assert response.status_int == 400, response.body
    [(code, description)] = errors_in(response)
    assert code == 400 and "lat:float" in description
    assert report_count(site) == 0


def test_a_type_suffix_elsewhere_gets_the_usual_error_page(site):
    # Plone's own error page (this exception view hands every other path on to it)
    response = caller(site).get(
        site["portal"].absolute_url(),
        params={"x:int": "abc"},
        headers={"Accept": "text/html"},
        expect_errors=True,
    )
    assert response.status_int == 500
    assert response.content_type == "text/html" and "<html" in response.text
    assert '"code": 400' not in response.text


def test_a_duplicate_is_closed_and_names_its_original(site):
    original = public_report(site, "accepted")
    copy = public_report(site, "accepted")
    from ratusz.gis.reports.workflow import mark_duplicate

    with api.env.adopt_roles(["Manager"]):
        mark_duplicate(copy, original.report_number)
    transaction.commit()
    [request] = get(site, f"requests/{copy.report_number}.json").json
    assert request["status"] == "closed"
    assert original.report_number in request["status_notes"]


def test_a_public_photo_is_linked_and_it_is_the_copy_without_exif(site):
    from tests.gis.reports_helpers import jpeg_with_gps

    report = public_report(site, "accepted", photo=("dziura.jpg", jpeg_with_gps()))
    [request] = get(site, f"requests/{report.report_number}.json").json
    assert request["media_url"] == f"{report.absolute_url()}/@@images/photo"
    photo = caller(site).get(request["media_url"], expect_errors=True)
    assert photo.status_int == 200
    assert photo.content_type == "image/jpeg"
    assert b"Exif" not in photo.body[:200] and b"Kowalski" not in photo.body


# --- the keys panel --------------------------------------------------------------------------

ROLES = (None, "mieszkaniec", "urzednik", "kierownik", "redaktor", "administrator")


def panel_browser(site, login=None):
    browser = Browser(site["app"])
    browser.handleErrors = True
    browser.raiseHttpErrors = False
    browser.addHeader("Accept-Language", "en")
    if login:
        browser.addHeader("Authorization", f"Basic {login}:{DEMO_USERS[login][2]}")
    return browser


@pytest.mark.parametrize("login", ROLES)
def test_only_site_administrators_open_the_keys_panel(site, login):
    browser = panel_browser(site, login)
    browser.open(f"{site['portal'].absolute_url()}/@@ratusz-open311-keys")
    allowed = login == "administrator"
    opened = "ratusz-open311-issue" in browser.contents
    assert opened is allowed
    # nor may they issue a key by posting the form
    browser.post(
        f"{site['portal'].absolute_url()}/@@ratusz-open311-keys",
        "name=Mine&form.buttons.issue=1",
    )
    transaction.begin()
    store = open311_store()
    assert store is None or not store["keys"]


def test_an_administrator_issues_a_key_seen_once_and_revokes_it(site):
    browser = panel_browser(site, "administrator")
    url = f"{site['portal'].absolute_url()}/@@ratusz-open311-keys"
    browser.open(url)
    form = browser.getForm(id="ratusz-open311-issue")
    form.getControl(name="name").value = "Naprawmy.to"
    form.getControl(name="owner").value = "kontakt@naprawmy.to"
    form.getControl(name="form.buttons.issue").click()
    shown = etree.HTML(browser.contents).xpath('//input[@id="ratusz-open311-key-value"]/@value')
    assert len(shown) == 1 and shown[0].startswith("o311-")
    key = shown[0]
    # only its hash is kept; the list does not show it again
    transaction.begin()
    stored = json.dumps(list(open311_store()["keys"].values()))
    assert key not in stored
    browser.open(url)
    assert key not in browser.contents and "Naprawmy.to" in browser.contents
    assert post(site, **valid_post(key)).status_int == 200

    browser.getForm(index=2).getControl(name="form.buttons.revoke").click()
    assert "unieważniono" in browser.contents.lower()  # "Klucz unieważniono…"
    assert 'name="form.buttons.revoke"' not in browser.contents  # no key left to revoke
    assert post(site, **valid_post(key)).status_int == 403


def test_a_key_needs_a_name_and_no_markup(site):
    browser = panel_browser(site, "administrator")
    browser.open(f"{site['portal'].absolute_url()}/@@ratusz-open311-keys")
    form = browser.getForm(id="ratusz-open311-issue")
    form.getControl(name="name").value = "<script>alert(1)</script>"
    form.getControl(name="form.buttons.issue").click()
    assert "ratusz-open311-error" in browser.contents
    assert "<script>alert(1)" not in browser.contents
    assert "ratusz-open311-key-value" not in browser.contents
    transaction.begin()
    store = open311_store()
    assert store is None or not store["keys"]


def test_issuing_without_the_csrf_token_is_refused(site):
    browser = panel_browser(site, "administrator")
    browser.post(
        f"{site['portal'].absolute_url()}/@@ratusz-open311-keys",
        "name=Evil&form.buttons.issue=1",
    )
    transaction.begin()
    store = open311_store()
    assert store is None or not store["keys"]


def test_reloading_the_page_that_issued_a_key_issues_no_second_key(site):
    browser = panel_browser(site, "administrator")
    url = f"{site['portal'].absolute_url()}/@@ratusz-open311-keys"
    browser.open(url)
    form = browser.getForm(id="ratusz-open311-issue")
    sent = urlencode(
        {
            "name": "Naprawmy.to",
            "owner": "",
            "issue_nonce": form.getControl(name="issue_nonce").value,
            "_authenticator": form.getControl(name="_authenticator").value,
            "form.buttons.issue": "1",
        }
    )
    browser.post(url, sent)
    assert "ratusz-open311-key-value" in browser.contents
    browser.post(url, sent)  # reloading the page sends the same form again
    assert browser.headers["status"].startswith("200")
    assert "ratusz-open311-key-value" not in browser.contents
    assert "ratusz-open311-message" in browser.contents
    transaction.begin()
    assert len(open311_store()["keys"]) == 1
    # the form on the page is a new one: it issues the next key
    form = browser.getForm(id="ratusz-open311-issue")
    form.getControl(name="name").value = "Druga aplikacja"
    form.getControl(name="form.buttons.issue").click()
    assert "ratusz-open311-key-value" in browser.contents
    transaction.begin()
    assert len(open311_store()["keys"]) == 2


def test_a_key_form_without_its_one_time_value_issues_nothing(site):
    browser = panel_browser(site, "administrator")
    url = f"{site['portal'].absolute_url()}/@@ratusz-open311-keys"
    browser.open(url)
    authenticator = browser.getForm(id="ratusz-open311-issue").getControl(name="_authenticator")
    for nonce in (None, "<script>", "x" * 1000):
        data = {"name": "Naprawmy.to", "_authenticator": authenticator.value}
        if nonce is not None:
            data["issue_nonce"] = nonce
        data["form.buttons.issue"] = "1"
        browser.post(url, urlencode(data))
        assert "ratusz-open311-error" in browser.contents
        assert "ratusz-open311-key-value" not in browser.contents
    transaction.begin()
    store = open311_store()
    assert store is None or not store["keys"]


def test_updated_datetime_follows_the_state_changes(site):
    report = public_report(site, "new")
    with api.env.adopt_roles(["Manager"]):
        report.creation_date = DateTime() - 2
        report.setModificationDate(DateTime() - 2)
        report.reindexObject()
    transaction.commit()
    transition(report, "accept")
    [request] = get(site, f"requests/{report.report_number}.json").json
    requested = datetime.fromisoformat(request["requested_datetime"])
    updated = datetime.fromisoformat(request["updated_datetime"])
    assert updated - requested > timedelta(days=1)
    assert abs(datetime.now(timezone.utc) - updated) < timedelta(minutes=5)


def test_the_upgrade_fills_the_metadata_and_the_uninstall_forgets_the_keys(site):
    from ratusz.gis.open311.install import install_open311
    from ratusz.gis.open311.install import uninstall_open311

    report = public_report(site, "accepted")
    catalog = api.portal.get_tool("portal_catalog")
    rid = catalog.getrid("/".join(report.getPhysicalPath()))
    catalog._catalog.data[rid] = tuple(
        None if name == "open311_updated" else value
        for name, value in zip(catalog._catalog.names, catalog._catalog.data[rid], strict=True)
    )
    assert catalog.unrestrictedSearchResults(UID=report.UID())[0].open311_updated is None
    assert install_open311() == 1
    assert catalog.unrestrictedSearchResults(UID=report.UID())[0].open311_updated is not None

    new_key()
    uninstall_open311()
    assert open311_store() is None
    transaction.commit()
    assert post(site, **valid_post("o311-00000000-" + "x" * 43)).status_int == 403
