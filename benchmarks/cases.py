"""Document circulation with 100,000 cases: dashboards and case creation beside vanilla Plone 6.2.

Usage (from the repository root; ``make bench-cases`` runs the first line)::

    .venv/bin/python benchmarks/cases.py
    .venv/bin/python benchmarks/cases.py --reuse --profile --json cases.json
    .venv/bin/python benchmarks/cases.py --only dashboards      # latency only
    .venv/bin/python benchmarks/cases.py --cases 5000 --vanilla-docs 5000   # a quick try

The issue's targets (docs/benchmarks.md, "Document circulation (100,000 cases)"),
each printed beside vanilla Plone 6.2 measured in the same run:

1. every dashboard answers in **p50 < 200 ms** with 100,000 cases in the catalog
   (a clerk, a head of department and a site administrator; REST and HTML);
2. **>= 20 cases opened per second with 8 concurrent clients** (REST POST), the
   signs distinct and consecutive afterwards.

What it does:

1. builds two instances under ``benchmarks/var/cases/`` (git-ignored), each in a
   child process that loads Zope in-process (bip.py's Builder):

   ``ratusz``   the Ratusz site with its demo content, 5 more clerks in each of the
                6 demo departments (the demo ``urzednik`` and ``ksiegowa`` are the
                sixth of OR and FN), and ``--cases`` real cases: each opened with
                ``ratusz.cases.case.create_case`` as its clerk (sign from the
                numbering, KPA deadline, workflow of its kind, local roles, audit
                trail, catalog), then moved through its workflow by the real
                transitions (``run_transition``, ``settle``, ``approve``; archived by
                the demo ``administrator``) to its planned phase. Start dates spread
                over the last five years; old cases are mostly settled or archived,
                recent ones open, waiting for the party or for approval, some
                overdue. Only the creation and modification dates are set to the
                start (resp. settlement) date afterwards, the e-mail notices
                (kierownik's approvals) are not sent, and ``departments()`` is
                answered from memory (each call is a catalog search that flushes
                the indexing queue: the case is indexed once, from its final
                state). Committed every ``--batch`` cases, packed at the end; a
                sample of 200 is re-indexed and compared with what the catalog
                holds, and step 5 compares one with a case opened through REST;
   ``vanilla``  plain Plone 6.2 Classic (Ratusz's ZCML not loaded), plone.restapi
                installed, a site administrator ``vadmin`` and a folder ``/Plone/pisma``
                (unordered, like Ratusz's case folder) with ``--vanilla-docs``
                Documents: title, description, a department symbol as Subject,
                creation dates over the same five years.

   The instances are kept (``bench-stamp.json``) and reused while the stamp (the
   options and a hash of Ratusz's Python, ZCML and profiles) matches; ``--reuse``
   keeps complete ones even when the code changed, ``--rebuild`` builds again.
2. copies each built database to ``benchmarks/var/cases/run/<kind>`` (the creation
   measurement adds content: the built database stays as built), serves both
   copies (``ratusz-instance serve``, free ports of 127.0.0.1, ``--threads``
   waitress threads each); through REST, gives vanilla a Collection of the
   Documents (``/Plone/lista-pism``, tabular view, newest first) and a navigation
   depth of 1 (see prepare_vanilla); checks every URL (200, expected totals);
3. latency: ``--sequential`` authenticated GETs (HTTP Basic, one at a time) of each
   dashboard for ``urzednik`` (OR clerk), ``kierownik`` (OR head) and
   ``administrator`` (site administrator): REST ``@ratusz-dashboards`` (counts, and
   each dashboard's 50 rows), the HTML page ``@@dashboard?show=<name>``, the case
   search ``@ratusz-case-search?department=OR&overdue=1`` and (for the clerk) the
   case folder's page; vanilla, as ``vadmin``: ``@search`` (50 Documents of
   100,000, newest first, with metadata fields; and the same with ``Subject=OR``),
   the Collection's page (50 rows) and Plone's search page; interleaved in
   ``--chunks``; p50/p90/p99; the first (cold) request of each is reported apart.
   Ratios: REST p50 / vanilla ``@search`` p50, HTML p50 / the Collection's p50;
4. creation: ``--clients`` threads POST for ``--create-seconds``: Ratusz
   ``POST /Plone/intranet/sprawy`` (a Case, OR, JRWA 0020, as ``urzednik``) and
   vanilla ``POST /Plone/pisma`` (a Document, as ``vadmin``), alternated over
   ``--rounds``; created per second within the window (as wrk counts; requests
   still running at its end, some sleeping before a conflict retry, are counted
   apart as "with the drain"), latency, conflict retries the server logged,
   failures; then the signs answered are checked: distinct, and with the cases
   the catalog holds for OR, 0020 and the year, numbers 1..n without a gap;
5. after stopping the servers: a generated case compared with one opened through
   REST in this run (catalog indexes, metadata, allowedRolesAndUsers, local roles,
   workflow, audit trail); with ``--profile``, cProfile of each Ratusz URL and of
   opening a case, published in-process (``profile-*.txt`` in --var).

Exit status 0 when everything ran (even when a target is missed), 1 when
something failed to run, 130 on Ctrl+C. The servers are always stopped.
"""

import argparse
import datetime
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import bip  # noqa: E402 - benchmarks/bip.py: Builder, code_stamp, serve_sites, percentile
import run  # noqa: E402 - benchmarks/run.py: processes, HTTP, machine info
from run import SITE_ID  # noqa: E402
from run import BenchError  # noqa: E402

DASHBOARD_GOAL_MS = 200.0  # each dashboard p50 < 200 ms
CREATE_GOAL = 20.0  # cases per second with 8 concurrent clients

INTRANET = f"/{SITE_ID}/intranet"
CASE_FOLDER = f"{INTRANET}/sprawy"
VANILLA_FOLDER_ID = "pisma"
VANILLA_FOLDER = f"/{SITE_ID}/{VANILLA_FOLDER_ID}"
VANILLA_LISTING_ID = "lista-pism"
VANILLA_LISTING = f"/{SITE_ID}/{VANILLA_LISTING_ID}"
DASHBOARDS = ("assigned_to_me", "my_department", "for_approval", "deadlines", "copies")
# The measured Ratusz users (demo users, ratusz.demo) and vanilla's site administrator.
USERS = {
    "urzednik": "demo-urzednik",  # clerk of OR
    "kierownik": "demo-kierownik",  # head of OR
    "administrator": "demo-administrator",  # Site Administrators
}
VANILLA_USER = "vadmin"
CREATE_FIELDS = {"department": "OR", "jrwa": "0020", "kind": "general"}
CREATE_USER = "urzednik"

# The demo departments with final JRWA classes of the demo list (0020 first in OR:
# the creation measurement opens OR.0020 cases) and the subjects of their cases.
DEPARTMENTS = {
    "OR": (
        ["0020", "0052", "0063", "0120"],
        [
            "Wniosek o udostępnienie informacji publicznej",
            "Skarga na działanie pracownika urzędu",
            "Petycja w sprawie godzin pracy urzędu",
            "Wniosek o wydanie zaświadczenia",
        ],
    ),
    "FN": (
        ["3021", "3110", "3113", "3120"],
        [
            "Wniosek o umorzenie zaległości podatkowej",
            "Zaświadczenie o niezaleganiu w podatkach",
            "Rozłożenie podatku od nieruchomości na raty",
            "Zwrot opłaty skarbowej",
        ],
    ),
    "GK": (
        ["7021", "7023", "7060", "7220"],
        [
            "Zajęcie pasa drogowego",
            "Przyłącze do sieci wodociągowej",
            "Wywóz nieczystości z posesji",
            "Nabycie nieruchomości gruntowej",
        ],
    ),
    "OS": (
        ["6220", "5340", "7011"],
        [
            "Zezwolenie na usunięcie drzew",
            "Zgłoszenie zanieczyszczenia wód",
            "Decyzja o środowiskowych uwarunkowaniach",
        ],
    ),
    "SO": (
        ["1510", "1431", "5350"],
        [
            "Zaświadczenie o zameldowaniu",
            "Wymeldowanie z pobytu stałego",
            "Wniosek o dofinansowanie wypoczynku dzieci",
        ],
    ),
    "USC": (
        ["0021", "3121", "7340"],
        [
            "Odpis zupełny aktu urodzenia",
            "Zmiana imienia i nazwiska",
            "Transkrypcja zagranicznego aktu małżeństwa",
        ],
    ),
}
DEMO_MEMBERS = {"OR": "urzednik", "FN": "ksiegowa"}  # already in their departments
CLERKS_PER_DEPARTMENT = 6
# Who approves and archives: OR has a head (kierownik); the other demo departments
# have none, their approvals are given by the site administrator.
HEADS = {"OR": "kierownik"}
ARCHIVIST = "administrator"

FIRST_NAMES = ["Anna", "Jan", "Maria", "Piotr", "Katarzyna", "Tomasz", "Ewa", "Paweł", "Zofia"]
LAST_NAMES = ["Nowak", "Kowalski", "Wiśniewska", "Wójcik", "Kamińska", "Lewandowski", "Zając"]
STREETS = ["Rynek", "Polna", "Leśna", "Słoneczna", "Krótka", "Szkolna", "Ogrodowa", "Lipowa"]
# Kinds (ratusz.cases.kinds) and their shares; "waiting" needs "supplement",
# "approval" needs "approval".
KIND_WEIGHTS = [
    ("general", 35),
    ("certificate", 25),
    ("information", 15),
    ("complaint", 10),
    ("supplement", 10),
    ("approval", 5),
]
# Phase plan by the age of the case (days since its start): (max age, [(plan, weight)]).
# "registered" and "in_progress" are the phase "open"; "settled" is "closed".
PHASE_BY_AGE = [
    (
        14,
        [("registered", 40), ("in_progress", 40), ("waiting", 6), ("approval", 4), ("settled", 10)],
    ),
    (
        60,
        [("registered", 5), ("in_progress", 30), ("waiting", 8), ("approval", 5), ("settled", 52)],
    ),
    (365, [("in_progress", 2), ("waiting", 0.5), ("approval", 0.5), ("settled", 97)]),
    (None, [("in_progress", 0.3), ("settled", 39.7), ("archived", 60)]),
]
YEARS = 5  # start dates over the last five years

BUILD_VERSION = 1  # bump when the building code changes what is built


# -- the plan of the cases (pure; ``--plan`` prints its shares without building) ---------


def _choose(rng, weighted):
    values = [value for value, _ in weighted]
    weights = [weight for _, weight in weighted]
    return rng.choices(values, weights)[0]


def plan_case(rng, today):
    """What one generated case is: department, class, kind, dates, phase, subject, party."""
    department = rng.choice(list(DEPARTMENTS))
    classes, subjects = DEPARTMENTS[department]
    age = int(rng.random() ** 1.15 * YEARS * 365)  # a little more of the recent years
    start = today - datetime.timedelta(days=age)
    plan = next(plans for limit, plans in PHASE_BY_AGE if limit is None or age <= limit)
    phase = _choose(rng, plan)
    if phase == "waiting":
        kind = "supplement"
    elif phase == "approval":
        kind = "approval"
    else:
        kind = _choose(rng, KIND_WEIGHTS)
    settled = None
    if phase in ("settled", "archived"):
        settled = min(today, start + datetime.timedelta(days=rng.randint(1, 45)))
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    street = rng.choice(STREETS)
    house, code = rng.randint(1, 120), rng.randint(1, 999)
    party = f"{first} {last}, ul. {street} {house}, 00-{code:03d} Przykładowo"
    return {
        "department": department,
        "clerk": rng.randrange(CLERKS_PER_DEPARTMENT),
        "jrwa": rng.choice(classes),
        "kind": kind,
        "start": start,
        "settled": settled,
        "phase": phase,
        "title": f"{rng.choice(subjects)} – {first} {last}",
        "parties": [party] if rng.random() < 0.9 else [party, f"{first} {last} (pełnomocnik)"],
    }


def plan_of(count, seed, today):
    rng = random.Random(seed)  # noqa: S311 - a reproducible plan, not a secret
    return [plan_case(rng, today) for _ in range(count)]


def print_plan(args):
    """The shares of the planned cases: phases, years, departments, what the users see."""
    today = datetime.date.today()
    plan = plan_of(args.cases, args.seed, today)
    open_ = [case for case in plan if case["phase"] not in ("settled", "archived")]
    late = [case for case in open_ if case["start"] < today - datetime.timedelta(days=30)]
    shares = {
        "phases": {},
        "years": {},
        "departments": {},
        "kinds": {},
    }
    for case in plan:
        for key, value in (
            ("phases", case["phase"]),
            ("years", case["start"].year),
            ("departments", case["department"]),
            ("kinds", case["kind"]),
        ):
            shares[key][value] = shares[key].get(value, 0) + 1
    for key, counts in shares.items():
        print(f"{key}: {dict(sorted(counts.items()))}")
    mine = [c for c in open_ if c["department"] == "OR" and c["clerk"] == 0]
    print(
        f"open: {len(open_)} (started over 30 days ago: {len(late)}); open in OR: "
        f"{sum(c['department'] == 'OR' for c in open_)}, of them urzednik's: {len(mine)}"
    )


# -- building (child processes) ------------------------------------------------


def _no_mail(committed, mails):
    """Stands in for ratusz.mail._send while generating: no mail server here."""


def _normal(data):
    """Index data and metadata with every empty value as None: a BooleanIndex answers
    0 or "" for False depending on how its documents are spread, not on the object."""
    return tuple({key: value or None for key, value in part.items()} for part in data)


class CaseBuilder(bip.Builder):
    """bip.py's Builder (one instance, loaded in-process) with the cases or Documents."""

    def user(self, user_id):
        cache = self.__dict__.setdefault("_users", {})
        if user_id not in cache:
            user = self.portal.acl_users.getUserById(user_id)
            if user is None:
                raise SystemExit(f"no user {user_id}")
            cache[user_id] = user.__of__(self.portal.acl_users)
        return cache[user_id]

    def act(self, user_id):
        from AccessControl.SecurityManagement import newSecurityManager

        newSecurityManager(None, self.user(user_id))

    # -- ratusz --

    def ensure_clerks(self):
        """Five more clerks in each demo department; ``{symbol: [clerk ids]}``."""
        from plone import api
        from zope.event import notify
        from zope.lifecycleevent import ObjectModifiedEvent

        from ratusz.cases.organisation import department_by_symbol

        clerks = {}
        for symbol in DEPARTMENTS:
            department = department_by_symbol(symbol)
            ids = [DEMO_MEMBERS[symbol]] if symbol in DEMO_MEMBERS else []
            number = 0
            while len(ids) < CLERKS_PER_DEPARTMENT:
                number += 1
                login = f"{symbol.lower()}-urzednik-{number}"
                if api.user.get(username=login) is None:
                    first = FIRST_NAMES[(number + len(clerks)) % len(FIRST_NAMES)]
                    last = LAST_NAMES[(number * 3 + len(clerks)) % len(LAST_NAMES)]
                    api.user.create(
                        email=f"{login}@przykladowo.example",
                        username=login,
                        password=secrets.token_urlsafe(16),
                        properties={"fullname": f"{first} {last}"},
                    )
                    api.group.add_user(groupname="ratusz-clerks", username=login)
                ids.append(login)
            members = list(department.members or ())
            wanted = members + [login for login in ids if login not in members]
            if wanted != members:
                department.members = wanted
                notify(ObjectModifiedEvent(department))  # syncs the department's groups
            clerks[symbol] = ids
        self.commit()
        return clerks

    def keep_departments(self):
        """Answer ``departments()`` from memory while generating.

        Opening a case asks for the departments ~8 times (a catalog search each,
        which also flushes the indexing queue: every intermediate state of the
        case would be indexed on its own). They do not change while generating;
        the case's catalog entry is made once, from its final state, as the
        sample check confirms.
        """
        import ratusz.cases.case
        import ratusz.cases.organisation

        kept = ratusz.cases.organisation.departments()
        ratusz.cases.organisation.departments = lambda: list(kept)
        ratusz.cases.case.departments = ratusz.cases.organisation.departments

    def populate_cases(self):
        from DateTime import DateTime

        import ratusz.mail
        from ratusz.cases.case import approve
        from ratusz.cases.case import create_case
        from ratusz.cases.case import run_transition
        from ratusz.cases.case import settle

        ratusz.mail._send = _no_mail  # the after-commit hooks look it up when added
        clerks = self.ensure_clerks()
        self.keep_departments()
        folder = self.portal.unrestrictedTraverse(CASE_FOLDER.split("/", 2)[2])
        today = datetime.date.today()
        count, batch = self.args.cases, self.args.batch
        indexes = list(self.portal.portal_catalog.indexes())
        phases = {}
        started = time.monotonic()
        for number, plan in enumerate(plan_of(count, self.args.seed, today)):
            department = plan["department"]
            clerk = clerks[department][plan["clerk"]]
            self.act(clerk)
            case = create_case(
                folder,
                title=plan["title"],
                department=department,
                jrwa=plan["jrwa"],
                kind=plan["kind"],
                parties=plan["parties"],
                start_date=plan["start"],
            )
            phase = plan["phase"]
            if phase != "registered":
                run_transition(case, "start")
            if phase == "waiting":
                run_transition(case, "request_supplement", "Wezwano stronę do uzupełnienia.")
            elif phase == "approval":
                settle(case, f"Projekt decyzji nr {number}", today=plan["start"])
            elif phase in ("settled", "archived"):
                done = settle(case, f"Wydano decyzję nr {number}", today=plan["settled"])
                if done == "submit_for_approval":
                    self.act(HEADS.get(department, ARCHIVIST))
                    approve(case, today=plan["settled"])
                if phase == "archived":
                    self.act(ARCHIVIST)
                    run_transition(case, "archive")
            # As if opened (and last changed) on its own days: listings sort by them.
            start = plan["start"]
            case.creation_date = DateTime(start.year, start.month, start.day, 9, 0, 0)
            changed = plan["settled"] or start
            case.modification_date = DateTime(changed.year, changed.month, changed.day, 15, 0, 0)
            # Every index (not "all", which would set the modification date to now):
            # queued, so it is merged with what the transitions queued.
            case.reindexObject(idxs=indexes)
            phases[phase] = phases.get(phase, 0) + 1
            if (number + 1) % batch == 0 or number + 1 == count:
                self.commit()
                spent = time.monotonic() - started
                self.log(
                    f"{number + 1}/{count} cases, {spent:.0f} s ({(number + 1) / spent:.1f}/s)"
                )
        self.timings["populate"] = round(time.monotonic() - started, 1)
        return {"phases": phases, "clerks": clerks}

    def check_sample(self, size=200):
        """Re-index a sample of cases and compare with what the catalog holds (then abort)."""
        import transaction
        from plone import api

        catalog = api.portal.get_tool("portal_catalog")
        zcatalog = catalog._catalog
        brains = catalog.unrestrictedSearchResults(portal_type="Case")
        rng = random.Random(7)  # noqa: S311 - a reproducible sample
        sample = rng.sample(range(len(brains)), min(size, len(brains)))
        stored = {}
        for index in sample:
            brain = brains[index]
            rid = brain.getRID()
            stored[rid] = (
                brain._unrestrictedGetObject(),
                catalog.getIndexDataForRID(rid),
                catalog.getMetadataForRID(rid),
            )
        for obj, _, _ in stored.values():
            catalog._reindexObject(obj)  # at once, not through the indexing queue
        different = []
        for rid, (_, indexes, metadata) in stored.items():
            now = (catalog.getIndexDataForRID(rid), catalog.getMetadataForRID(rid))
            if _normal(now) != _normal((indexes, metadata)):
                different.append(zcatalog.paths[rid])
        transaction.abort()
        missing = [
            zcatalog.paths[rid]
            for rid, (_, indexes, metadata) in stored.items()
            if not metadata.get("case_summary")
            or not metadata.get("case_phase")
            or not indexes.get("allowedRolesAndUsers")
        ]
        self.log(f"sample of {len(stored)} cases: {len(different)} differ after re-indexing")
        return {"sampled": len(stored), "differ": different[:10], "incomplete": missing[:10]}

    def build_cases(self):
        from plone import api

        from ratusz.cases.numbering import last_number

        result = self.populate_cases()
        catalog = api.portal.get_tool("portal_catalog")
        result["cases"] = len(catalog.unrestrictedSearchResults(portal_type="Case"))
        result["catalog_objects"] = len(catalog)
        year = datetime.date.today().year
        key = ("case", CREATE_FIELDS["department"], CREATE_FIELDS["jrwa"], year)
        result["create_counter_start"] = last_number(self.portal, key)
        result["sample"] = self.check_sample()
        return result

    # -- vanilla --

    def build_vanilla_docs(self):
        from DateTime import DateTime
        from plone import api
        from plone.base.utils import get_installer
        from plone.dexterity.utils import createContentInContainer

        installer = get_installer(self.portal, self.request)
        if not installer.is_product_installed("plone.restapi"):
            installer.install_product("plone.restapi")
        if api.user.get(username=VANILLA_USER) is None:
            api.user.create(
                email="vadmin@przykladowo.example",
                username=VANILLA_USER,
                password=os.environ["VANILLA_PASSWORD"],
            )
            api.group.add_user(groupname="Site Administrators", username=VANILLA_USER)
        if VANILLA_FOLDER_ID not in self.portal:
            folder = api.content.create(
                container=self.portal,
                type="Folder",
                id=VANILLA_FOLDER_ID,
                title="Pisma",
                exclude_from_nav=True,
            )
            folder.setOrdering("unordered")  # 100,000 items: like Ratusz's case folder
            folder.setLayout("tabular_view")  # a table of 50 rows: the HTML yardstick
        folder = self.portal[VANILLA_FOLDER_ID]
        self.commit()
        today = datetime.date.today()
        rng = random.Random(self.args.seed)  # noqa: S311 - a reproducible plan
        count, batch = self.args.vanilla_docs, self.args.batch
        started = time.monotonic()
        for number in range(count):
            plan = plan_case(rng, today)  # the same titles, departments and dates
            start = plan["start"]
            createContentInContainer(
                folder,
                "Document",
                checkConstraints=False,
                id=f"pismo-{number}",
                title=plan["title"],
                description=", ".join(plan["parties"]),
                subject=(plan["department"], plan["jrwa"]),
                creation_date=DateTime(start.year, start.month, start.day, 9, 0, 0),
            )
            if (number + 1) % batch == 0 or number + 1 == count:
                self.commit()
                spent = time.monotonic() - started
                self.log(
                    f"{number + 1}/{count} documents, {spent:.0f} s ({(number + 1) / spent:.1f}/s)"
                )
        self.timings["populate"] = round(time.monotonic() - started, 1)
        catalog = api.portal.get_tool("portal_catalog")
        return {
            "documents": len(catalog.unrestrictedSearchResults(portal_type="Document")),
            "catalog_objects": len(catalog),
        }


def build_child(kind, var_dir, args):
    import transaction

    builder = CaseBuilder(kind, var_dir, args)
    builder.open()
    try:
        result = builder.build_vanilla_docs() if kind == "vanilla" else builder.build_cases()
        transaction.commit()
        # Every commit rewrote catalog buckets: pack the old revisions away, as a
        # site in use is packed (a smaller file to copy for every run).
        started = time.monotonic()
        builder.app._p_jar.db().pack()
        builder.timings["pack"] = round(time.monotonic() - started, 1)
    finally:
        builder.close()
    for leftover in ("Data.fs.old", "Data.fs.tmp"):  # the file before packing
        (Path(var_dir) / "filestorage" / leftover).unlink(missing_ok=True)
    result.update(kind=kind, timings=builder.timings, built_on=datetime.date.today().isoformat())
    print("BUILD-RESULT " + json.dumps(result), flush=True)


def compare_child(var_dir):
    """Compare a generated case with one opened through REST in this run; JSON on stdout.

    Both are OR cases in state "registered"; the generated one of ``urzednik`` and
    of kind "general" if there is one (the clerk's id is replaced by ``<clerk>``
    before comparing): their catalog entries and local roles must look alike.
    """
    from AccessControl.SecurityManagement import newSecurityManager
    from plone import api
    from zope.component.hooks import setSite
    from Zope2.Startup.run import make_wsgi_app

    make_wsgi_app({}, str(Path(var_dir) / "etc" / "zope.conf"))
    import Zope2

    app = Zope2.app()
    portal = app[SITE_ID]
    setSite(portal)
    newSecurityManager(None, app.acl_users.getUserById("admin").__of__(app.acl_users))
    catalog = api.portal.get_tool("portal_catalog")
    query = {"portal_type": "Case", "case_department": "OR", "review_state": "registered"}
    brains = list(catalog.unrestrictedSearchResults(**query))
    made = [b for b in brains if (b.Title or "").startswith("Sprawa testowa")]
    # Generated subjects never start with "Sprawa " (REST-made and profiled ones do).
    generated = [b for b in brains if not (b.Title or "").startswith("Sprawa ")]
    generated.sort(
        key=lambda b: (
            (b.case_summary or {}).get("clerk") == CREATE_USER,
            (b.case_summary or {}).get("kind") == CREATE_FIELDS["kind"],
        )
    )
    if not made or not generated:
        print(json.dumps({"error": "no REST-made or no generated case to compare"}))
        return

    def entry(brain):
        rid = brain.getRID()
        obj = brain._unrestrictedGetObject()
        indexes = catalog.getIndexDataForRID(rid)
        metadata = catalog.getMetadataForRID(rid)
        clerk = obj.clerk

        def anonymised(principal):
            return "<clerk>" if principal == clerk else principal.replace(clerk, "<clerk>")

        return {
            "path": brain.getPath(),
            "clerk": clerk,
            # case_parties: the REST-made cases have no party (the request body).
            "indexes": sorted(
                k for k, v in indexes.items() if v not in (None, "", (), []) and k != "case_parties"
            ),
            "metadata": sorted(k for k, v in metadata.items() if v not in (None, "", (), [])),
            "allowedRolesAndUsers": sorted(map(anonymised, indexes["allowedRolesAndUsers"])),
            "case_phase": metadata.get("case_phase"),
            "review_state": metadata.get("review_state"),
            "summary_keys": sorted((metadata.get("case_summary") or {}).keys()),
            "local_roles": sorted(
                (anonymised(p), tuple(sorted(r))) for p, r in obj.get_local_roles()
            ),
            "workflow": api.portal.get_tool("portal_workflow").getChainFor(obj),
            "audit_trail": [entry["action"] for entry in getattr(obj, "audit_trail", ())],
        }

    rest, gen = entry(made[-1]), entry(generated[-1])
    same = {key: rest[key] == gen[key] for key in rest if key not in ("path", "clerk")}
    kind = (generated[-1].case_summary or {}).get("kind")
    print(json.dumps({"rest": rest, "generated": gen, "kind": kind, "same": same}, default=str))


# -- orchestration -----------------------------------------------------------

KINDS = ("ratusz", "vanilla")


def stamp_for(kind, args):
    code = "-" if kind == "vanilla" else bip.code_stamp()
    count = args.vanilla_docs if kind == "vanilla" else args.cases
    return {
        "kind": kind,
        "code": code,
        "build_version": BUILD_VERSION,
        "count": count,
        "seed": args.seed,
    }


def build_sites(var_root, env, args):
    """Build the missing or stale instances (bip.py's build_in_children); return build info."""
    options = ["--cases", str(args.cases), "--vanilla-docs", str(args.vanilla_docs)]
    options += ["--batch", str(args.batch), "--seed", str(args.seed)]
    return bip.build_in_children(__file__, var_root, KINDS, env, args, stamp_for, options)


# -- measuring ---------------------------------------------------------------

JSON_HEADERS = {"Accept": "application/json"}
VANILLA_METADATA = "created,modified,Creator,Subject,getId"


def latency_urls():
    """``{key: (kind, user, path, json?)}`` of everything measured one request at a time."""
    urls = {}
    for user in USERS:
        urls[f"{user} counts"] = ("ratusz", user, f"{INTRANET}/@ratusz-dashboards", True)
        for name in DASHBOARDS:
            query = urlencode({"name": name, "b_size": 50})
            urls[f"{user} {name}"] = (
                "ratusz",
                user,
                f"{INTRANET}/@ratusz-dashboards?{query}",
                True,
            )
        for name in DASHBOARDS:
            path = f"{INTRANET}/@@dashboard?show={name}"
            urls[f"{user} {name} html"] = ("ratusz", user, path, False)
        query = urlencode({"department": "OR", "overdue": 1})
        urls[f"{user} search"] = ("ratusz", user, f"{INTRANET}/@ratusz-case-search?{query}", True)
    # Not a dashboard: the case folder's own page (the register of cases, 50 a page).
    urls["urzednik case folder html"] = ("ratusz", "urzednik", CASE_FOLDER, False)
    base = {
        "portal_type": "Document",
        "sort_on": "created",
        "sort_order": "descending",
        "b_size": 50,
        "metadata_fields": VANILLA_METADATA.split(","),
    }
    urls["vanilla search"] = (
        "vanilla",
        VANILLA_USER,
        f"/{SITE_ID}/@search?{urlencode(base, doseq=True)}",
        True,
    )
    urls["vanilla search OR"] = (
        "vanilla",
        VANILLA_USER,
        f"/{SITE_ID}/@search?{urlencode(dict(base, Subject='OR'), doseq=True)}",
        True,
    )
    # The HTML yardstick: a Collection of the Documents, newest first, 50 rows in a
    # table (prepare_vanilla). Not the folder's own view: there Plone's
    # navigation portlet builds the tree of the folder's 100,000 children.
    urls["vanilla listing html"] = ("vanilla", VANILLA_USER, f"{VANILLA_LISTING}?b_size=50", False)
    # Plone's search page (it shows 10 results whatever b_size says).
    html = {"portal_type": "Document", "sort_on": "created", "sort_order": "reverse"}
    urls["vanilla search html"] = (
        "vanilla",
        VANILLA_USER,
        f"/{SITE_ID}/@@search?{urlencode(html)}",
        False,
    )
    return urls


def get(servers, passwords, kind, user, path, is_json):
    port = servers[kind][1]
    headers = JSON_HEADERS if is_json else {}
    start = time.perf_counter()
    status, _, body = run.request(port, "GET", path, auth=(user, passwords[user]), headers=headers)
    spent = (time.perf_counter() - start) * 1000
    if status != 200:
        raise BenchError(f"{kind}: GET {path} as {user} answered {status}: {body[:300]!r}")
    return spent, body


def prepare_vanilla(port, password):
    """The vanilla Collection ``/Plone/lista-pism`` (tabular view, 50 a page), and a
    navigation depth of 1, via REST.

    With Plone's default depth (3) the global navigation of every vanilla page
    lists the 100,000 Documents of ``/Plone/pisma`` (3.5 s a page on the machine of
    docs/benchmarks.md); Ratusz's cases are not a type shown in navigation, so its
    pages never do that. A site with 100,000 Documents in one folder would turn
    that off; here the whole site keeps only the first level.
    """
    auth = (VANILLA_USER, password)
    status, _, body = run.request(  # the registry wants a Manager: Zope's admin
        port,
        "PATCH",
        f"/{SITE_ID}/@registry",
        body={"plone.navigation_depth": 1},
        auth=("admin", password),
    )
    if status not in (200, 204):
        raise BenchError(f"vanilla: PATCH @registry answered {status}: {body[:300]!r}")
    status, _, _ = run.request(port, "GET", VANILLA_LISTING, auth=auth, headers=JSON_HEADERS)
    if status == 404:
        data = {
            "@type": "Collection",
            "id": VANILLA_LISTING_ID,
            "title": "Lista pism",
            "query": [
                {
                    "i": "portal_type",
                    "o": "plone.app.querystring.operation.selection.any",
                    "v": ["Document"],
                }
            ],
            "sort_on": "created",
            "sort_reversed": True,
            "item_count": 50,
        }
        status, _, body = run.request(port, "POST", f"/{SITE_ID}", body=data, auth=auth)
        if status != 201:
            raise BenchError(
                f"vanilla: creating {VANILLA_LISTING} answered {status}: {body[:300]!r}"
            )
        status, _, body = run.request(
            port, "PATCH", VANILLA_LISTING, body={"layout": "tabular_view"}, auth=auth
        )
        if status not in (200, 204):
            raise BenchError(f"vanilla: PATCH {VANILLA_LISTING} answered {status}: {body[:300]!r}")


def check_urls(urls, servers, passwords):
    """One GET of each URL (its time is the cold figure); what it answered."""
    checked = {}
    for key, (kind, user, path, is_json) in urls.items():
        spent, body = get(servers, passwords, kind, user, path, is_json)
        info = {"first_ms": round(spent, 1), "bytes": len(body)}
        if is_json:
            data = json.loads(body)
            if "items_total" in data:
                info["total"] = data["items_total"]
                info["rows"] = len(data.get("items", ()))
            if "dashboards" in data:
                info["counts"] = {d["name"]: d["count"] for d in data["dashboards"]}
        checked[key] = info
        extra = f", {info['total']} found, {info['rows']} rows" if "total" in info else ""
        print(f"  {key:<32} {spent:8.1f} ms first, {len(body):7d} bytes{extra}", flush=True)
    return checked


def sequential(urls, servers, passwords, count, chunks, warmup):
    """``count`` GETs of each URL one at a time, URLs interleaved in ``chunks`` (after warm-up)."""
    for kind, user, path, is_json in urls.values():
        for _ in range(warmup):
            get(servers, passwords, kind, user, path, is_json)
    timings = {key: [] for key in urls}
    per_chunk = max(1, count // chunks)
    keys = list(urls)
    for chunk in range(chunks):
        for key in keys if chunk % 2 == 0 else list(reversed(keys)):
            for _ in range(per_chunk):
                timings[key].append(get(servers, passwords, *urls[key])[0])
    return {
        key: {
            "kind": urls[key][0],
            "user": urls[key][1],
            "url": urls[key][2],
            "requests": len(values),
            "p50_ms": round(bip.percentile(values, 50), 1),
            "p90_ms": round(bip.percentile(values, 90), 1),
            "p99_ms": round(bip.percentile(values, 99), 1),
            "mean_ms": round(statistics.fmean(values), 1),
        }
        for key, values in timings.items()
    }


def create_round(kind, port, auth, path, body_of, clients, seconds):
    """``clients`` threads POST ``body_of(client, n)`` to ``path`` for ``seconds``."""
    results = []
    lock = threading.Lock()
    barrier = threading.Barrier(clients)
    deadline = []

    def worker(client):
        barrier.wait()
        if not deadline:
            with lock:
                if not deadline:
                    deadline.append(time.monotonic() + seconds)
        number = 0
        while time.monotonic() < deadline[0]:
            start = time.monotonic()
            try:
                status, _, body = run.request(
                    port, "POST", path, body=body_of(client, number), auth=auth, timeout=300
                )
            except OSError as error:
                status, body = None, str(error).encode()
            end = time.monotonic()
            made = None
            if status == 201:
                data = json.loads(body)
                made = data.get("sign") or data.get("@id")
            with lock:
                results.append(
                    {
                        "start": start,
                        "end": end,
                        "status": status,
                        "made": made,
                        "error": None if status == 201 else body[:300].decode("utf-8", "replace"),
                    }
                )
            number += 1

    threads = [threading.Thread(target=worker, args=(c,), daemon=True) for c in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 600)
    if any(thread.is_alive() for thread in threads):
        raise BenchError(f"{kind}: a creating client did not finish")
    ok = [r for r in results if r["status"] == 201]
    first = min(r["start"] for r in results)
    last = max(r["end"] for r in results)
    # Like wrk: what was completed within the window; requests still running at its
    # end (some sleeping before a conflict retry) finish after it, counted apart.
    in_window = [r for r in ok if r["end"] <= deadline[0]]
    latencies = [(r["end"] - r["start"]) * 1000 for r in ok] or [0]
    errors = {}
    for r in results:
        if r["status"] != 201:
            errors[str(r["status"])] = errors.get(str(r["status"]), 0) + 1
    return {
        "kind": kind,
        "created": len(ok),
        "created_in_window": len(in_window),
        "failed": len(results) - len(ok),
        "errors": errors,
        "error_sample": next((r["error"] for r in results if r["error"]), None),
        "window_seconds": seconds,
        "per_second": round(len(in_window) / seconds, 2),
        "seconds_with_drain": round(last - first, 2),
        "per_second_with_drain": round(len(ok) / (last - first), 2),
        "p50_ms": round(bip.percentile(latencies, 50), 1),
        "p90_ms": round(bip.percentile(latencies, 90), 1),
        "p99_ms": round(bip.percentile(latencies, 99), 1),
        "max_ms": round(max(latencies), 1),
        "made": [r["made"] for r in ok],
    }


def conflicts_logged(log_path):
    """How many conflict retries the server has logged so far."""
    try:
        text = Path(log_path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return 0
    return text.count("ConflictError")


def creation(servers, passwords, args):
    """Alternated rounds of Ratusz cases and vanilla Documents created by ``--clients``."""
    rounds = {"ratusz": [], "vanilla": []}
    for number in range(args.rounds):
        order = ["ratusz", "vanilla"] if number % 2 == 0 else ["vanilla", "ratusz"]
        for kind in order:
            port = servers[kind][1]
            if kind == "ratusz":
                auth = (CREATE_USER, passwords[CREATE_USER])

                def body_of(client, n, number=number):
                    title = f"Sprawa testowa {number}-{client}-{n}"
                    return {"@type": "Case", "title": title, **CREATE_FIELDS}

                path = CASE_FOLDER
            else:
                auth = (VANILLA_USER, passwords[VANILLA_USER])

                def body_of(client, n, number=number):
                    return {"@type": "Document", "title": f"Pismo testowe {number}-{client}-{n}"}

                path = VANILLA_FOLDER
            before = conflicts_logged(servers[kind][2])
            result = create_round(
                kind, port, auth, path, body_of, args.clients, args.create_seconds
            )
            time.sleep(1)  # the log is written by the server
            result["conflict_retries"] = conflicts_logged(servers[kind][2]) - before
            rounds[kind].append(result)
            print(
                f"  {kind:<8} round {number + 1}: {result['created_in_window']} created in "
                f"{args.create_seconds} s = {result['per_second']:.1f}/s "
                f"({result['created']} in {result['seconds_with_drain']:.1f} s with the drain), "
                f"p50 {result['p50_ms']:.0f} ms, p99 {result['p99_ms']:.0f} ms, "
                f"conflict retries {result['conflict_retries']}, "
                f"failed {result['failed']} {result['errors'] or ''}",
                flush=True,
            )
            time.sleep(2)
    return rounds


def check_signs(servers, passwords, made):
    """The answered signs are distinct; the catalog's OR/0020/year cases are 1..n, no gap."""
    from_signs = {}
    for sign in made:
        unit, jrwa, number, year = sign.split(".")
        from_signs.setdefault((unit, jrwa, int(year)), []).append(int(number))
    report = {"answered": len(made), "distinct": len(set(made)), "series": []}
    for (unit, jrwa, year), numbers in sorted(from_signs.items()):
        numbers = sorted(numbers)
        consecutive = numbers == list(range(numbers[0], numbers[0] + len(numbers)))
        found = []
        start = 0
        query = {
            "department": unit,
            "jrwa": jrwa,
            "start_from": f"{year}-01-01",
            "start_to": f"{year}-12-31",
            "b_size": 200,
        }
        while True:
            path = f"{INTRANET}/@ratusz-case-search?{urlencode(dict(query, b_start=start))}"
            _, body = get(servers, passwords, "ratusz", "administrator", path, True)
            data = json.loads(body)
            found += [row["reference"] for row in data["items"]]
            start += 200
            if start >= data["items_total"]:
                break
        in_catalog = sorted(int(sign.split(".")[2]) for sign in found)
        series = {
            "series": f"{unit}.{jrwa}.*.{year}",
            "answered_first": numbers[0],
            "answered_last": numbers[-1],
            "answered_consecutive": consecutive,
            "in_catalog": len(in_catalog),
            "catalog_distinct": len(set(in_catalog)) == len(in_catalog),
            "catalog_gapless": in_catalog == list(range(1, len(in_catalog) + 1)),
            "answered_in_catalog": set(numbers) <= set(in_catalog),
        }
        series["ok"] = (
            all(
                series[key]
                for key in (
                    "answered_consecutive",
                    "catalog_distinct",
                    "catalog_gapless",
                    "answered_in_catalog",
                )
            )
            and report["answered"] == report["distinct"]
        )
        report["series"].append(series)
    report["ok"] = bool(report["series"]) and all(s["ok"] for s in report["series"])
    return report


def profile_child(var_dir, out_dir, requests):
    """cProfile of each Ratusz URL published in-process; JSON ``{key: {...}}`` on stdout."""
    import base64
    import cProfile
    import io
    import pstats

    from Zope2.Startup.run import make_wsgi_app

    app = make_wsgi_app({}, str(Path(var_dir) / "etc" / "zope.conf"))
    urls = {k: v for k, v in latency_urls().items() if v[0] == "ratusz"}

    def publish(user, path, is_json, body=None):
        path, _, query = path.partition("?")
        token = base64.b64encode(f"{user}:{USERS[user]}".encode()).decode()
        data = json.dumps(body).encode() if body is not None else b""
        environ = {
            "REQUEST_METHOD": "GET" if body is None else "POST",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": run.VIRTUAL_HOST,
            "SERVER_PORT": "8080",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": f"{run.VIRTUAL_HOST}:8080",
            "HTTP_AUTHORIZATION": f"Basic {token}",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(data),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
            "wsgi.version": (1, 0),
        }
        if body is not None:
            environ.update(CONTENT_TYPE="application/json", CONTENT_LENGTH=str(len(data)))
        for header, value in run.REQUEST_HEADERS.items():
            environ["HTTP_" + header.upper().replace("-", "_")] = value
        if is_json:
            environ["HTTP_ACCEPT"] = "application/json"
        status = []
        b"".join(app(environ, lambda s, h, e=None: status.append(s)))
        if status[0][:3] not in ("200", "201"):
            raise SystemExit(f"{path} answered {status[0]}")

    # Opening a case, one request at a time (adds cases to the run's copy only).
    new_case = {"@type": "Case", "title": "Sprawa profilowana", **CREATE_FIELDS}
    urls[f"{CREATE_USER} create case"] = ("ratusz", CREATE_USER, CASE_FOLDER, True, new_case)
    results = {}
    for key, (_, user, path, is_json, *body) in urls.items():
        body = body[0] if body else None
        for _ in range(5):
            publish(user, path, is_json, body)
        times = []
        profiler = cProfile.Profile()
        for _ in range(requests):
            start = time.perf_counter()
            profiler.enable()
            publish(user, path, is_json, body)
            profiler.disable()
            times.append((time.perf_counter() - start) * 1000)
        text = io.StringIO()
        stats = pstats.Stats(profiler, stream=text)
        stats.sort_stats("cumulative").print_stats(40)
        stats.sort_stats("tottime").print_stats(25)
        out_file = Path(out_dir) / f"profile-{key.replace(' ', '-')}.txt"
        out_file.write_text(text.getvalue(), encoding="utf-8")
        results[key] = {
            "median_ms_profiled": round(statistics.median(times), 1),
            "file": str(out_file),
        }
        print(f"{key}: {results[key]['median_ms_profiled']} ms (profiled)", file=sys.stderr)
    json.dump(results, sys.stdout)


def run_child(flag, var_dir, *extra, timeout=3600):
    argv = [sys.executable, __file__, flag, str(var_dir), *map(str, extra)]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise BenchError(f"{flag} failed:\n" + "\n".join(done.stderr.splitlines()[-25:]))
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- main --------------------------------------------------------------------


def bench(args):
    started = time.monotonic()
    python = Path(sys.executable)
    instance = python.parent / "ratusz-instance"
    if not instance.exists():
        raise BenchError(f"{instance} not found: run this with the project venv's python")
    var_root = Path(args.var).resolve()
    var_root.mkdir(parents=True, exist_ok=True)
    password_file = var_root / "admin-password"
    if password_file.exists():
        password = password_file.read_text(encoding="utf-8").strip()
    else:
        password = secrets.token_urlsafe(16)
        password_file.touch(mode=0o600)
        password_file.write_text(password + "\n", encoding="utf-8")
    env = dict(os.environ, ADMIN_PASSWORD=password, VANILLA_PASSWORD=password)
    passwords = dict(USERS, **{VANILLA_USER: password})
    info = run.machine_info(str(python))
    do_dashboards = not args.only or "dashboards" in args.only
    do_create = not args.only or "create" in args.only

    print(f"Building or reusing the instances under {var_root} ...", flush=True)
    build = build_sites(var_root, env, args)
    built = time.monotonic()
    run_root = bip.working_copies(var_root, KINDS)
    servers = bip.serve_sites(instance, run_root, KINDS, env, args)
    report = {
        "date": datetime.date.today().isoformat(),
        "machine": info,
        "build": build,
        "parameters": {
            "cases": args.cases,
            "vanilla_docs": args.vanilla_docs,
            "waitress_threads": args.threads,
            "sequential": args.sequential,
            "warmup": args.warmup,
            "clients": args.clients,
            "create_seconds": args.create_seconds,
            "rounds": args.rounds,
        },
    }
    if do_dashboards:
        urls = latency_urls()
        prepare_vanilla(servers["vanilla"][1], passwords[VANILLA_USER])
        print("\nChecking every URL (first request of each, cold) ...", flush=True)
        report["first"] = check_urls(urls, servers, passwords)
        print(f"\nDashboards: {args.sequential} sequential GETs per URL ...", flush=True)
        report["latency"] = sequential(
            urls, servers, passwords, args.sequential, args.chunks, args.warmup
        )
    if do_create:
        print(
            f"\nCreation: {args.clients} clients, {args.create_seconds} s per round ...", flush=True
        )
        report["create"] = creation(servers, passwords, args)
        made = [sign for result in report["create"]["ratusz"] for sign in result["made"]]
        report["signs"] = check_signs(servers, passwords, made)
        for result in report["create"]["ratusz"] + report["create"]["vanilla"]:
            result["made"] = len(result["made"])
    info["loadavg_end"] = os.getloadavg()
    run.stop_all()

    try:  # a failure here must not lose the measurements above
        if do_create:
            print("\nComparing a generated case with one opened through REST ...", flush=True)
            report["compare"] = run_child("--child-compare", run_root / "ratusz")
        if args.profile:
            print("\nProfiling the Ratusz URLs in-process (servers stopped) ...", flush=True)
            report["profile"] = run_child(
                "--child-profile", run_root / "ratusz", var_root, args.profile_requests
            )
    except BenchError as error:
        report["after_error"] = str(error)
        print(f"After the measurements: {error}", flush=True)

    report["seconds"] = {"build": round(built - started, 1)}
    report["seconds"]["total"] = round(time.monotonic() - started, 1)
    print_report(report, args)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        print(f"Results written to {args.json}")
    return report


def print_report(report, args):
    info = report["machine"]
    print()
    for kind, result in report["build"].items():
        how = "reused" if result.get("reused") else f"built in {result.get('seconds', 0):.0f} s"
        what = result.get("cases") or result.get("documents")
        populate = result.get("timings", {}).get("populate")
        print(
            f"{kind}: {how}: {what} {'cases' if kind == 'ratusz' else 'Documents'} "
            f"(populated in {populate} s), {result.get('catalog_objects')} catalog entries"
        )
        if "phases" in result:
            print(f"  phases: {result['phases']}; sample check: {result.get('sample')}")
    if "latency" in report:
        latency = report["latency"]
        vanilla = latency["vanilla search"]["p50_ms"]
        vanilla_html = latency["vanilla listing html"]["p50_ms"]
        print(
            f"\nLatency, {args.sequential} sequential authenticated GETs per URL (ms); ratio = "
            f"p50 / vanilla @search p50 ({vanilla:.1f} ms; HTML: / vanilla's 50-row listing "
            f"{vanilla_html:.1f} ms); target p50 < {DASHBOARD_GOAL_MS:.0f} ms:"
        )
        header = (
            f"{'url':<34}{'p50':>8}{'p90':>8}{'p99':>8}{'first':>9}{'found':>8}{'ratio':>7}  target"
        )
        print(header)
        print("-" * len(header))
        for key, row in latency.items():
            first = report["first"][key]
            base = vanilla_html if key.endswith("html") else vanilla
            verdict = ""
            if row["kind"] == "ratusz":
                verdict = "met" if row["p50_ms"] < DASHBOARD_GOAL_MS else "MISSED"
            print(
                f"{key:<34}{row['p50_ms']:>8.1f}{row['p90_ms']:>8.1f}{row['p99_ms']:>8.1f}"
                f"{first['first_ms']:>9.1f}{first.get('total', ''):>8}"
                f"{row['p50_ms'] / base:>7.2f}  {verdict}"
            )
        counts = {k.split()[0]: v["counts"] for k, v in report["first"].items() if "counts" in v}
        print(f"Dashboard counts: {counts}")
    if "create" in report:
        print(f"\nCreation, {args.clients} concurrent clients, {args.create_seconds} s per round:")
        best = {}
        for kind in KINDS:
            for number, result in enumerate(report["create"][kind]):
                print(
                    f"  {kind:<8} round {number + 1}: {result['per_second']:6.1f}/s "
                    f"({result['created_in_window']} in {args.create_seconds} s; with the drain "
                    f"{result['per_second_with_drain']:.1f}/s), p50 {result['p50_ms']:.0f} ms, "
                    f"p99 {result['p99_ms']:.0f} ms, max {result['max_ms']:.0f} ms, "
                    f"conflict retries {result['conflict_retries']}, failed {result['failed']}"
                )
            best[kind] = max(r["per_second"] for r in report["create"][kind])
        verdict = "met" if best["ratusz"] >= CREATE_GOAL else "MISSED"
        print(
            f"  best: Ratusz {best['ratusz']:.1f} cases/s, "
            f"vanilla {best['vanilla']:.1f} documents/s, "
            f"ratio {best['ratusz'] / best['vanilla']:.2f}; target >= {CREATE_GOAL:.0f}/s {verdict}"
        )
        signs = report["signs"]
        print(
            f"  signs: {signs['answered']} answered, {signs['distinct']} distinct; "
            f"ok: {signs['ok']}"
        )
        for series in signs["series"]:
            print(f"    {series}")
    if "compare" in report:
        compare = report["compare"]
        if "error" in compare:
            print(f"\nGenerated vs REST-made case: {compare['error']}")
        else:
            print(
                f"\nGenerated case {compare['generated']['path']} (kind {compare['kind']}, "
                f"clerk {compare['generated']['clerk']}) vs REST-made {compare['rest']['path']}:"
            )
            for key, same in compare["same"].items():
                detail = "" if same else f": {compare['generated'][key]} vs {compare['rest'][key]}"
                print(f"  {key}: {'same' if same else 'DIFFERENT'}{detail}")
    if "profile" in report:
        print("\nProfiles (in-process, under cProfile):")
        for key, row in report["profile"].items():
            print(f"  {key:<32}{row['median_ms_profiled']:>8.1f} ms  {row['file']}")
    load = ", ".join(f"{x:.2f}" for x in info["loadavg_start"])
    load_end = ", ".join(f"{x:.2f}" for x in info.get("loadavg_end", ()))
    print(
        f"\n{info['nproc']} CPUs ({info['cpu']}), load average at start {load}, at end "
        f"{load_end}; waitress threads {args.threads}."
    )
    print(
        f"Whole run: {report['seconds']['total']:.0f} s (building/reusing the instances "
        f"{report['seconds']['build']:.0f} s)."
    )


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--var", default=str(HERE / "var" / "cases"), help="where instances go")
    parser.add_argument("--only", choices=["dashboards", "create"], action="append")
    parser.add_argument("--cases", type=int, default=100_000, help="generated cases (100000)")
    parser.add_argument(
        "--vanilla-docs", type=int, default=100_000, help="vanilla Documents (100000)"
    )
    parser.add_argument("--batch", type=int, default=1000, help="objects per commit (1000)")
    parser.add_argument("--seed", type=int, default=2026, help="seed of the generated plan")
    parser.add_argument("--rebuild", action="store_true", help="rebuild even current instances")
    parser.add_argument("--reuse", action="store_true", help="reuse complete instances, even stale")
    parser.add_argument("--threads", type=int, default=4, help="waitress threads per server (4)")
    parser.add_argument("--sequential", type=int, default=100, help="GETs per URL (100)")
    parser.add_argument("--chunks", type=int, default=2, help="interleaving of the GETs (2)")
    parser.add_argument("--warmup", type=int, default=10, help="warm-up GETs per URL (10)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent creating clients (8)")
    parser.add_argument("--create-seconds", type=int, default=20, help="seconds per round (20)")
    parser.add_argument("--rounds", type=int, default=2, help="creation rounds per site (2)")
    parser.add_argument("--profile", action="store_true", help="cProfile the Ratusz URLs after")
    parser.add_argument("--profile-requests", type=int, default=20)
    parser.add_argument("--json", metavar="FILE", help="write the results as JSON to FILE")
    parser.add_argument("--start-timeout", type=int, default=300, help="server start limit, s")
    parser.add_argument("--build-timeout", type=int, default=6 * 3600, help="build limit, s")
    parser.add_argument("--plan", action="store_true", help="print the plan's shares and exit")
    parser.add_argument("--child-build", nargs=2, metavar=("KIND", "VAR"), help=argparse.SUPPRESS)
    parser.add_argument("--child-compare", metavar="VAR", help=argparse.SUPPRESS)
    parser.add_argument("--child-profile", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.rebuild and args.reuse:
        parser.error("--rebuild and --reuse exclude each other")
    for name in ("cases", "vanilla_docs", "batch", "threads", "sequential", "clients", "rounds"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    return args


def main(argv=None):
    args = parse_args(argv)
    if args.plan:
        print_plan(args)
        return 0
    if args.child_build:
        build_child(args.child_build[0], args.child_build[1], args)
        return 0
    if args.child_compare:
        compare_child(args.child_compare)
        return 0
    if args.child_profile:
        profile_child(args.child_profile[0], args.child_profile[1], int(args.child_profile[2]))
        return 0
    return run.run_guarded("benchmarks/cases.py", bench, args)


if __name__ == "__main__":
    sys.exit(main())
