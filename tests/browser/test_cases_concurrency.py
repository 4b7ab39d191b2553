"""50 cases opened at once against the real WSGI server get 50 distinct consecutive numbers."""

import base64
import json
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import transaction
from plone import api

YEAR = date.today().year
CLASS = "0020"


def open_case(site_url, number):
    body = json.dumps(
        {
            "@type": "Case",
            "title": f"Zaświadczenie {number}",
            "department": "OR",
            "jrwa": CLASS,
            "kind": "certificate",
        }
    ).encode()
    request = urllib.request.Request(
        f"{site_url}/intranet/sprawy",
        data=body,
        method="POST",
        headers={
            "Accept": "application/json",
            "Content-Type": "application/json",
            "Authorization": "Basic " + base64.b64encode(b"urzednik:demo-urzednik").decode(),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, json.loads(response.read())["sign"]
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()[:1500]


def test_fifty_cases_opened_at_once_are_numbered_one_to_fifty(site_url, browser_layer):
    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(lambda n: open_case(site_url, n), range(50)))
    failures = [result for result in results if result[0] != 201]
    assert failures == []
    signs = sorted(sign for _, sign in results)
    assert signs == sorted(f"OR.{CLASS}.{n}.{YEAR}" for n in range(1, 51))
    transaction.begin()
    folder = browser_layer["portal"].intranet.sprawy
    assert len(folder.objectIds()) == 50
    catalog = api.portal.get_tool("portal_catalog")
    assert len(catalog.unrestrictedSearchResults(portal_type="Case", case_department="OR")) == 50
