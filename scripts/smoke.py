"""Check that a running Ratusz answers like a city site should (used by CI's install checks).

python scripts/smoke.py http://localhost:8080/Plone --wait 120
"""

import argparse
import sys
import time
import urllib.error
import urllib.request

# path -> text the answer must contain
EXPECTED = {
    "/pl": 'lang="pl"',
    "/en": 'lang="en"',
    "/uk": 'lang="uk"',
    "/++api++": '"@id"',
    "/++theme++ratusz/css/ratusz.css": "--ratusz-primary",
}


def fetch(url):
    request = urllib.request.Request(url, headers={"Accept": "text/html,application/json"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - our own server
        return response.status, response.read().decode("utf-8", "replace")


def wait_until_up(url, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            fetch(url)
            return True
        except urllib.error.HTTPError:
            return True  # it answers; the checks below report the status
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(1)
    return False


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("site_url")
    parser.add_argument("--wait", type=int, default=0, help="seconds to wait for the server")
    args = parser.parse_args(argv)
    base = args.site_url.rstrip("/")
    if args.wait and not wait_until_up(base + "/pl", args.wait):
        print(f"FAIL {base} did not answer within {args.wait} s")
        return 1
    failures = 0
    for path, needle in EXPECTED.items():
        try:
            status, body = fetch(base + path)
        except urllib.error.HTTPError as error:
            status, body = error.code, ""
        ok = status == 200 and needle in body
        failures += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {status} {base}{path}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
