"""GIS: ``@geojson`` with 10,000 geolocated items, beside plone.restapi and vanilla Plone 6.2.

Usage (from the repository root; ``make bench-gis`` runs the first line)::

    .venv/bin/python benchmarks/gis.py
    .venv/bin/python benchmarks/gis.py --reuse --json gis.json
    .venv/bin/python benchmarks/gis.py --places 2000 --repeat 10     # a quick try

The issue's targets (docs/benchmarks.md, "GIS"):

1. ``GET /Plone/++api++/@geojson`` with ``--places`` (10,000) geolocated items:
   **p50 < 300 ms**;
2. **>= 5x faster than serialising the same items with plone.restapi's**
   ``@search?fullobjects``, same run;
3. **the map page stays usable at 10,000 markers**: the HTML of ``/pl/mapa-bench/@@map``
   (filters, legend with counts, the first 50 of the list) beside vanilla Plone's view of
   a folder of as many Documents, and in Chromium (tiles blocked, as offline) the time
   until all markers are loaded and clustered, the marker elements the page then holds
   (clustering keeps them few) and the time of one zoom step.

Beside them, for the ratio to vanilla Plone 6.2: vanilla's ``@search`` listing as many
published Documents (its summaries, ``b_size`` = all of them) — what plain Plone
answers when asked for that many items — and ``@geojson`` asked again with its ETag
(``If-None-Match``: 304).

What it does: builds two instances under ``benchmarks/var/gis/`` (git-ignored) in child
processes (bip.py's Builder): ``ratusz`` (the demo site plus ``--places`` published Places
in the unordered folder ``/pl/mapa-bench``, random points in a box around Kalisz, ten
kinds, an address and opening hours each) and ``vanilla`` (plain Plone with as many
published Documents in ``/dokumenty``); serves copies of both (``ratusz-instance serve``,
``--threads`` waitress threads); checks each URL once (200, the expected count); then one
client asks each URL in turn, alternating the sides, ``--repeat`` times (``--slow-repeat``
for ``@search?fullobjects``), anonymously, and prints p50/p90/max and the ratios.

Exit status 0 when everything ran (even when a target is missed), 1 when something
failed to run.
"""

import argparse
import datetime
import json
import os
import random
import secrets
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import bip  # noqa: E402 - benchmarks/bip.py: Builder, code_stamp, serve_sites, percentile
import run  # noqa: E402 - benchmarks/run.py: processes, HTTP, machine info
from run import SITE_ID  # noqa: E402
from run import BenchError  # noqa: E402

P50_GOAL_MS = 300.0
FASTER_GOAL = 5.0
BUILD_VERSION = 2
KINDS = ("ratusz", "vanilla")
FOLDER = "mapa-bench"
# Asked only --slow-repeat times: seconds each (vanilla's folder view lists all 10,000).
SLOW = ("search fullobjects", "vanilla folder")
VANILLA_FOLDER = "dokumenty"
# A box around Kalisz (WGS84): the points fall in the city and its surroundings.
BOX = (18.00, 51.70, 18.20, 51.82)
PLACE_KINDS = (
    "office", "service_point", "school", "kindergarten", "library",
    "culture", "sport", "health", "transport", "other",
)  # fmt: skip
STREETS = ("Główna", "Śródmiejska", "Górnośląska", "Łazienna", "Nowy Świat", "Kościuszki")


def place_fields(number, rng):
    lon = rng.uniform(BOX[0], BOX[2])
    lat = rng.uniform(BOX[1], BOX[3])
    kind = PLACE_KINDS[number % len(PLACE_KINDS)]
    return {
        "title": f"Miejsce {number}: {kind}",
        "description": f"Punkt na mapie numer {number}",
        "place_kind": kind,
        "address": f"ul. {STREETS[number % len(STREETS)]} {number % 150 + 1}, Kalisz",
        "opening_hours": "Pn–Pt 8:00–16:00",
        "point": (lat, lon),
    }


class Builder(bip.Builder):
    def build_places(self):
        from plone import api
        from plone.dexterity.utils import createContentInContainer
        from plone.formwidget.geolocation.geolocation import Geolocation

        container = self.portal.pl
        if FOLDER not in container:
            folder = api.content.create(
                container=container, type="Folder", id=FOLDER, title="Mapa (benchmark)"
            )
            folder.setOrdering("unordered")
            self.publish(folder)
            self.commit()
        folder = container[FOLDER]
        rng = random.Random(20261203)  # noqa: S311 - made-up points, repeatable
        started = time.monotonic()
        for number in range(self.args.places):
            fields = place_fields(number, rng)
            lat, lon = fields.pop("point")
            place = createContentInContainer(
                folder, "Place", id=f"miejsce-{number}", geolocation=Geolocation(lat, lon), **fields
            )
            api.content.transition(place, "publish")
            if number % 500 == 499:
                self.commit()
                self.log(f"{number + 1} places")
        self.commit()
        self.timings["places"] = round(time.monotonic() - started, 1)
        return len(folder.objectIds())

    def build_documents(self):
        from plone import api
        from plone.dexterity.utils import createContentInContainer

        # Plone's classic distribution does not install plone.restapi's profile, which
        # lets anonymous visitors use the REST API (as Ratusz's site does): grant it so.
        self.portal.manage_permission("plone.restapi: Use REST API", ["Anonymous"], acquire=1)
        if VANILLA_FOLDER not in self.portal:
            folder = api.content.create(
                container=self.portal, type="Folder", id=VANILLA_FOLDER, title="Dokumenty"
            )
            folder.setOrdering("unordered")
            self.publish(folder)
            self.commit()
        folder = self.portal[VANILLA_FOLDER]
        rng = random.Random(20261203)  # noqa: S311 - made-up points, repeatable
        started = time.monotonic()
        for number in range(self.args.places):
            fields = place_fields(number, rng)
            fields.pop("point")
            page = createContentInContainer(
                folder,
                "Document",
                id=f"dokument-{number}",
                title=fields["title"],
                description=fields["description"],
            )
            api.content.transition(page, "publish")
            if number % 500 == 499:
                self.commit()
                self.log(f"{number + 1} documents")
        self.commit()
        self.timings["documents"] = round(time.monotonic() - started, 1)
        return len(folder.objectIds())


def build_child(kind, var_dir, args):
    builder = Builder(kind, var_dir, args)
    builder.open()
    result = {"kind": kind}
    try:
        if kind == "vanilla":
            result["documents"] = builder.build_documents()
        else:
            result["places"] = builder.build_places()
    finally:
        builder.close()
    result["timings"] = builder.timings
    print("BUILD-RESULT " + json.dumps(result), flush=True)


def stamp_for(kind, args):
    code = "-" if kind == "vanilla" else bip.code_stamp()
    return {"kind": kind, "code": code, "build_version": BUILD_VERSION, "places": args.places}


def build_sites(var_root, env, args):
    """Build the missing or stale instances (bip.py's build_in_children); return build info."""
    options = ["--places", str(args.places)]
    return bip.build_in_children(__file__, var_root, KINDS, env, args, stamp_for, options)


def urls(args):
    places = f"/{SITE_ID}/++api++/pl/{FOLDER}"
    viewport = ",".join(str(v) for v in (18.08, 51.74, 18.12, 51.78))  # ~1/15 of the box
    return {
        "geojson": ("ratusz", f"/{SITE_ID}/++api++/@geojson?portal_type=Place"),
        "geojson viewport": ("ratusz", f"/{SITE_ID}/++api++/@geojson?bbox={viewport}"),
        "geojson folder": ("ratusz", f"{places}/@geojson"),
        "search fullobjects": (
            "ratusz",
            f"/{SITE_ID}/++api++/@search?portal_type=Place&fullobjects=1&b_size={args.places}",
        ),
        "vanilla search": (
            "vanilla",
            f"/{SITE_ID}/++api++/@search?portal_type=Document&b_size={args.places}",
        ),
        # The map page's HTML (filters, legend with counts, the first 50 of the list)
        # beside vanilla's listing of a folder of as many Documents (its first 20).
        "map page": ("ratusz", f"/{SITE_ID}/pl/{FOLDER}/@@map"),
        "vanilla folder": ("vanilla", f"/{SITE_ID}/{VANILLA_FOLDER}"),
    }


def count_of(name, body):
    if name == "map page":
        return body.count(b'class="ratusz-map-item')
    if name == "vanilla folder":
        return body.count(b'class="summary url"') or None
    data = json.loads(body)
    if name.startswith("geojson"):
        return len(data["features"])
    return len(data["items"])


def measure(servers, args):
    targets = urls(args)
    checks, timings, sizes = {}, {name: [] for name in targets}, {}
    for name, (kind, path) in targets.items():
        status, headers, body = run.request(servers[kind][1], "GET", path, timeout=600)
        if status != 200:
            raise BenchError(f"{name}: GET {path} answered {status}: {body[:300]!r}")
        checks[name] = count_of(name, body)
        sizes[name] = len(body)
        print(f"  {name}: {checks[name]} items, {len(body) / 1024:.0f} KiB", flush=True)
    # (the site-wide answer also holds the demo city's own places: ratusz:demo-gis)
    mapped = (checks["geojson folder"], checks["search fullobjects"])
    if mapped != (args.places, args.places) or checks["geojson"] < args.places:
        raise BenchError(f"expected {args.places} items everywhere: {checks}")
    answer_headers = run.request(servers["ratusz"][1], "GET", targets["geojson"][1])[1]
    etag = {key.lower(): value for key, value in answer_headers.items()}.get("etag")
    if not etag:
        raise BenchError("@geojson answered without an ETag")
    timings["geojson 304"] = []
    order = list(targets) + ["geojson 304"]
    for number in range(args.repeat):
        for name in order if number % 2 == 0 else list(reversed(order)):
            if name in SLOW and number >= args.slow_repeat:
                continue
            kind, path = targets.get(name, targets["geojson"])
            headers = {"If-None-Match": etag} if name == "geojson 304" else None
            start = time.monotonic()
            status, _, _ = run.request(servers[kind][1], "GET", path, headers=headers, timeout=600)
            elapsed = (time.monotonic() - start) * 1000
            expected = 304 if name == "geojson 304" else 200
            if status != expected:
                raise BenchError(f"{name}: answered {status}, expected {expected}")
            timings[name].append(elapsed)
    return {
        name: {
            "items": checks.get(name),
            "kib": round(sizes.get(name, 0) / 1024, 1),
            "requests": len(values),
            "p50_ms": round(statistics.median(values), 1),
            "p90_ms": round(bip.percentile(values, 90), 1),
            "max_ms": round(max(values), 1),
        }
        for name, values in timings.items()
    }


def measure_in_browser(servers, args):
    """The map page in Chromium (tiles blocked, as offline): time until every marker is
    loaded and clustered, how many marker elements the page then holds, and how long a
    zoom step takes. ``None`` when Playwright or Chromium is missing."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("  (Playwright is not installed: no browser figures)", flush=True)
        return None
    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not Path(chromium).exists():
        print(f"  ({chromium} is missing: no browser figures)", flush=True)
        return None
    url = f"http://{run.host_header(servers['ratusz'][1])}/{SITE_ID}/pl/{FOLDER}/@@map"
    loads, zooms, elements = [], [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        try:
            for _ in range(args.browser_repeat):
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                console = []
                page.on("console", lambda message, seen=console: seen.append(message.text))
                page.on(
                    "response",
                    lambda answer, seen=console: (
                        seen.append(f"{answer.status} {answer.url}")
                        if "geojson" in answer.url
                        else None
                    ),
                )
                page.route("**/tile.openstreetmap.org/**", lambda route: route.abort())
                page.route("**/mapy.geoportal.gov.pl/**", lambda route: route.abort())
                start = time.monotonic()
                page.goto(url, timeout=120_000)
                page.wait_for_selector(".ratusz-map[data-loaded='1']", timeout=120_000)
                loads.append((time.monotonic() - start) * 1000)
                markers = int(page.locator(".ratusz-map").get_attribute("data-markers"))
                if markers != args.places:
                    raise BenchError(
                        f"the map page drew {markers} markers, not {args.places}: {console[-5:]}"
                    )
                elements.append(page.locator(".leaflet-marker-icon").count())
                start = time.monotonic()
                page.evaluate(
                    """() => new Promise(done => {
                        const map = document.querySelector('.ratusz-map').ratuszMap;
                        map.once('zoomend', () => requestAnimationFrame(() => done()));
                        map.zoomIn();
                    })"""
                )
                zooms.append((time.monotonic() - start) * 1000)
                page.close()
        finally:
            browser.close()
    return {
        "markers": args.places,
        "loads": len(loads),
        "load_p50_ms": round(statistics.median(loads), 1),
        "load_max_ms": round(max(loads), 1),
        "zoom_p50_ms": round(statistics.median(zooms), 1),
        "marker_elements": max(elements),
    }


def bench(args):
    python = Path(sys.executable)
    instance = python.parent / "ratusz-instance"
    var_root = Path(args.var).resolve()
    var_root.mkdir(parents=True, exist_ok=True)
    password_file = var_root / "admin-password"
    if not password_file.exists():
        password_file.write_text(secrets.token_urlsafe(16) + "\n", encoding="utf-8")
    env = dict(os.environ, ADMIN_PASSWORD=password_file.read_text(encoding="utf-8").strip())
    started = time.monotonic()
    info = run.machine_info(str(python))
    print(f"Building or reusing the instances under {var_root} ...", flush=True)
    build = build_sites(var_root, env, args)
    run_root = bip.working_copies(var_root, KINDS)
    servers = bip.serve_sites(instance, run_root, KINDS, env, args)
    info["loadavg_start"] = os.getloadavg()
    try:
        print("\nChecking and measuring (one client, sides alternated) ...", flush=True)
        results = measure(servers, args)
        print("\nThe map page in Chromium ...", flush=True)
        browser = measure_in_browser(servers, args)
    finally:
        run.stop_all()
    info["loadavg_end"] = os.getloadavg()
    report = {
        "date": datetime.date.today().isoformat(),
        "machine": info,
        "build": build,
        "places": args.places,
        "results": results,
        "browser": browser,
        "seconds": round(time.monotonic() - started, 1),
    }
    print_report(report)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return report


def print_report(report):
    results = report["results"]
    print(f"\n{report['places']} geolocated places (vanilla: as many Documents):")
    print(
        f"{'request':<22}{'items':>7}{'KiB':>8}{'n':>4}{'p50 ms':>10}{'p90 ms':>10}{'max ms':>10}"
    )
    for name, row in results.items():
        print(
            f"{name:<22}{row['items'] or '':>7}{row['kib'] or '':>8}{row['requests']:>4}"
            f"{row['p50_ms']:>10.1f}{row['p90_ms']:>10.1f}{row['max_ms']:>10.1f}"
        )
    geojson = results["geojson"]["p50_ms"]
    faster = results["search fullobjects"]["p50_ms"] / geojson
    vanilla = results["vanilla search"]["p50_ms"] / geojson
    p50 = "met" if geojson < P50_GOAL_MS else "MISSED"
    fast = "met" if faster >= FASTER_GOAL else "MISSED"
    print(f"@geojson p50 {geojson:.0f} ms: target < {P50_GOAL_MS:.0f} ms {p50}")
    print(f"@search?fullobjects / @geojson = {faster:.1f}x: target >= {FASTER_GOAL:.0f}x {fast}")
    print(f"vanilla @search of as many Documents / @geojson = {vanilla:.2f}x")
    page = results["map page"]["p50_ms"]
    folder = results["vanilla folder"]["p50_ms"]
    print(f"map page HTML p50 {page:.0f} ms; vanilla folder listing {folder:.0f} ms "
          f"(vanilla / Ratusz = {folder / page:.1f}x)")  # fmt: skip
    browser = report.get("browser")
    if browser:
        print(f"map page in Chromium: {browser['markers']} markers loaded and clustered in "
              f"{browser['load_p50_ms']:.0f} ms (p50 of {browser['loads']}, max "
              f"{browser['load_max_ms']:.0f}); {browser['marker_elements']} marker elements "
              f"on the page; a zoom step {browser['zoom_p50_ms']:.0f} ms")  # fmt: skip
    info = report["machine"]
    print(f"{info['nproc']} CPUs ({info['cpu']}); load {info['loadavg_start']} → "
          f"{info['loadavg_end']}; whole run {report['seconds']:.0f} s")  # fmt: skip


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--var", default=str(HERE / "var" / "gis"), help="instances' home")
    parser.add_argument("--places", type=int, default=10_000, help="geolocated items (10,000)")
    parser.add_argument("--repeat", type=int, default=20, help="requests per URL (20)")
    parser.add_argument(
        "--slow-repeat", type=int, default=3, help="of @search?fullobjects and vanilla's folder (3)"
    )
    parser.add_argument("--browser-repeat", type=int, default=5, help="map page loads (5)")
    parser.add_argument("--threads", type=int, default=4, help="waitress threads per server")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--json", metavar="FILE")
    parser.add_argument("--start-timeout", type=int, default=300)
    parser.add_argument("--build-timeout", type=int, default=7200)
    parser.add_argument("--child-build", nargs=2, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.child_build:
        build_child(args.child_build[0], args.child_build[1], args)
        return 0
    return run.run_guarded("benchmarks/gis.py", bench, args)


if __name__ == "__main__":
    sys.exit(main())
