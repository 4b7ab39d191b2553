"""BIP benchmarks: a BIP item page beside a vanilla Document, and the change register.

Usage (from the repository root; ``make bench-bip`` runs the first line)::

    .venv/bin/python benchmarks/bip.py
    .venv/bin/python benchmarks/bip.py --rounds 3 --profile --json bip.json
    .venv/bin/python benchmarks/bip.py --only item          # requirement 1 only, ~3 min
    .venv/bin/python benchmarks/bip.py --only register      # requirement 2 only

The issue's targets (docs/benchmarks.md, section "BIP"):

1. anonymous requests/s of a BIP item page >= 0.9x a vanilla Plone Document page
   with the same text, same run;
2. the site-wide change register (``/pl/bip/rejestr-zmian``) with 10,000 versions
   in the site renders its page in p50 < 300 ms (anonymous, sequential requests).

What it does:

1. builds three instances under ``benchmarks/var/bip/`` (git-ignored), each in a
   child process that loads Zope in-process (much faster than the REST API for
   10,000 versions):

   ``ratusz``   the Ratusz site with its demo content; in ``/pl/bip/prawo-lokalne/uchwaly``
                a published BipLegalAct with every field and the whole metadata block
                filled, a small PDF, an "amended by" relation to a second act, and
                run.py's bench text as its text;
   ``vanilla``  plain Plone 6.2 Classic UI (same venv, Ratusz's ZCML not loaded): the
                published Document ``/Plone/bench-page`` with the same title,
                description and text; a folder ``/Plone/lista`` of 200 published
                Documents (tabular view) and the search page as listing yardsticks;
   ``register`` the Ratusz site plus ``--items`` published BIP items spread over the
                sections (acts, announcements, procurements, vacancies, pages), each
                created, published and edited ``--edits`` times the way the edit form
                does it (change the text, put a change note in the request annotation
                ``plone.app.versioningbehavior-changeNote``, notify ObjectModifiedEvent),
                editors taking turns: the initial version, the publication's version and 8
                edits make 10 CMFEditions versions per item, 10,000 by default, and as
                many entries in the change register (written by its own subscribers).
                Committed every ``--batch`` items. A few minutes the first
                time: the instance is kept and reused while its stamp (parameters and
                a hash of Ratusz's Python, ZCML and profiles) matches; ``--rebuild``
                forces a new one, ``--reuse`` keeps whatever is there.

2. serves the three instances (``ratusz-instance serve``, free ports of 127.0.0.1,
   ``--threads`` waitress threads each) and checks every URL anonymously
   (200, expected text, themed: Host ``localhost``, see run.py);
3. item pages: ``wrk`` alternately on the BIP item page and the vanilla Document
   (R,V then V,R ...), ``--rounds`` runs each; best run and median; the same act
   in the populated register site is measured against the same vanilla Document
   ("item-big");
4. register: ``--sequential`` anonymous GETs, one at a time, of the register's
   first page, a filtered page (date range + section) and vanilla's listing and
   search pages, interleaved in chunks; p50/p90/p99; then ``wrk`` throughput of
   the register's first page beside vanilla's listing;
5. with ``--profile``, after stopping the servers: CPU time per viewlet of the item
   page and the register page beside vanilla (benchmarks/profile_pages.py's
   in-process child, alternated runs).

Exit status 0 when everything ran (even when a target is missed), 1 when
something failed to run, 130 on Ctrl+C. The servers are always stopped.
"""

import argparse
import datetime
import hashlib
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import run  # noqa: E402 - benchmarks/run.py, the shared helpers
from run import BENCH_DESCRIPTION  # noqa: E402
from run import BENCH_TEXT  # noqa: E402
from run import HOST  # noqa: E402
from run import SITE_ID  # noqa: E402
from run import BenchError  # noqa: E402

ITEM_GOAL = 0.9  # BIP item page req/s >= 0.9x the vanilla Document
REGISTER_GOAL_MS = 300.0  # change register page p50 < 300 ms

# The bench act; the vanilla Document gets the same title, description and text.
ACT_TITLE = "Uchwała w sprawie godzin pracy urzędu i obsługi mieszkańców"
ACT_ID = "uchwala-xii-123-2026"
AMENDING_ID = "uchwala-xiv-150-2026"
ACT_CONTAINER = f"/{SITE_ID}/pl/bip/prawo-lokalne/uchwaly"
ACT_PATH = f"{ACT_CONTAINER}/{ACT_ID}"
VANILLA_DOCUMENT = f"/{SITE_ID}/bench-page"
VANILLA_LISTING_ID = "lista"
VANILLA_LISTING_ITEMS = 200
VANILLA_SEARCH_TERM = "urząd"

REGISTER_VIEW = f"/{SITE_ID}/pl/bip/rejestr-zmian"
# The filtered page: the changes of the last 30 days in one section. All versions
# are made on the build date, so the date range keeps them all and the section
# narrows them (to ~40% of the items: the local-law acts).
REGISTER_FILTER_SECTION = "prawo-lokalne"

# The kinds of items the register site holds: (share of --items, section path
# under /pl/bip, type). Shares add up to 100.
ITEM_MIX = [
    (20, "prawo-lokalne/uchwaly", "BipLegalAct"),
    (20, "prawo-lokalne/zarzadzenia", "BipLegalAct"),
    (20, "ogloszenia-i-obwieszczenia", "BipAnnouncement"),
    (15, "zamowienia-publiczne", "BipProcurement"),
    (10, "nabor-na-stanowiska", "BipJobVacancy"),
    (5, "budzet-i-finanse", "BipPage"),
    (5, "majatek", "BipPage"),
    (5, "kontrole", "BipPage"),
]

# Site users who edit the register site's items (full names show in the register).
EDITORS = [
    ("ewa.redaktor", "Ewa Redaktor"),
    ("jan.kowalski", "Jan Kowalski"),
    ("anna.nowak", "Anna Nowak"),
]
EDITOR_GROUPS = ("ratusz-bip-editors", "ratusz-bip-administrators")

# What stored data depends on: when any of these change, a cached instance is stale.
# BUILD_VERSION: bump it when the building code below changes what is built.
BUILD_VERSION = 3
STAMP_GLOBS = ["src/ratusz/**/*.py", "src/ratusz/**/*.zcml", "profiles/**/*", "setup.py"]


def minimal_pdf(text="Uchwala nr XII/123/2026 Rady Miasta Przykladowo"):
    """A valid one-page PDF of about 600 bytes (``is_pdf`` checks the first bytes)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


# -- building (child processes) ------------------------------------------------


def code_stamp():
    digest = hashlib.sha256()
    for pattern in STAMP_GLOBS:
        for path in sorted(REPO.glob(pattern)):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(REPO)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _text(html):
    from plone.app.textfield.value import RichTextValue

    return RichTextValue(html, "text/html", "text/x-html-safe")


def _metadata(number):
    return {
        "bip_produced_by": f"Marta Wiśniewska, inspektor ({number})",
        "bip_producing_unit": "Wydział Organizacyjny",
        "bip_responsible": "Zofia Sekretarz, Sekretarz Miasta",
        "bip_date_produced": datetime.date(2026, 1, 1) + datetime.timedelta(days=number % 300),
    }


def _item_fields(type_name, number, pdf):
    """Title and the type's own fields of the register site's item ``number``."""
    from plone.namedfile.file import NamedBlobFile

    day = datetime.date(2026, 1, 1) + datetime.timedelta(days=number % 300)
    moment = datetime.datetime(2026, 12, 1, 12, 0) + datetime.timedelta(days=number % 60)
    text = _text(BENCH_TEXT)
    fields = {"description": f"Pozycja {number} biuletynu: opis do listy i wyszukiwarki."}
    if type_name == "BipLegalAct":
        mayor = number % 2
        fields.update(
            title=f"{'Zarządzenie' if mayor else 'Uchwała'} nr {number}/2026 w sprawie {number}",
            act_kind="order" if mayor else "resolution",
            act_number=f"{number}/2026",
            act_date=day,
            act_body="mayor" if mayor else "council",
            act_status="in_force",
            act_file=NamedBlobFile(pdf, contentType="application/pdf", filename=f"{number}.pdf"),
            text=text,
        )
    elif type_name == "BipAnnouncement":
        fields.update(
            title=f"Obwieszczenie nr {number} o przystąpieniu do sporządzenia planu",
            announcement_kind="notice",
            text=text,
            # Current notices: the daily job archives those whose period has ended.
            valid_from=datetime.date.today() - datetime.timedelta(days=number % 20),
            valid_to=datetime.date.today() + datetime.timedelta(days=30 + number % 60),
        )
    elif type_name == "BipProcurement":
        fields.update(
            title=f"Przebudowa ulicy nr {number} wraz z oświetleniem",
            reference_number=f"ZP.271.{number}.2026",
            procedure="basic",
            value_range="national",
            offers_deadline=moment,
            procurement_status="open",
            text=text,
        )
    elif type_name == "BipJobVacancy":
        fields.update(
            title=f"Nabór nr {number}: inspektor w Wydziale Podatków",
            position="Inspektor",
            unit="Wydział Podatków i Opłat",
            requirements=text,
            deadline=moment,
            vacancy_status="open",
        )
    else:
        fields.update(title=f"Informacja nr {number}", text=text)
    return fields


class Builder:
    """Runs in the child process: one instance, loaded in-process."""

    def __init__(self, kind, var_dir, args):
        self.kind, self.var_dir, self.args = kind, Path(var_dir), args
        self.timings = {}

    def log(self, message):
        print(f"[{self.kind}] {message}", flush=True)

    def open(self):
        from Zope2.Startup.run import make_wsgi_app

        from ratusz.cli import ensure_site
        from ratusz.cli import write_config

        zope_ini = write_config(self.var_dir, vanilla=self.kind == "vanilla")
        make_wsgi_app({}, str(zope_ini.with_name("zope.conf")))
        import Zope2
        from AccessControl.SecurityManagement import newSecurityManager
        from Testing.makerequest import makerequest
        from zope.component.hooks import setSite
        from zope.globalrequest import setRequest

        started = time.monotonic()
        self.app = makerequest(Zope2.app())
        password = os.environ["ADMIN_PASSWORD"]
        vanilla = self.kind == "vanilla"
        ensure_site(self.app, SITE_ID, password, demo=not vanilla, vanilla=vanilla)
        self.timings["create_site"] = round(time.monotonic() - started, 1)
        self.portal = self.app[SITE_ID]
        setSite(self.portal)
        self.request = self.app.REQUEST
        setRequest(self.request)
        if not vanilla:
            from plone.browserlayer.utils import registered_layers
            from zope.interface import alsoProvides

            alsoProvides(self.request, *registered_layers())  # as on a real request
        admin = self.app.acl_users.getUserById("admin")
        newSecurityManager(None, admin.__of__(self.app.acl_users))

    def close(self):
        import transaction

        transaction.commit()
        database = self.app._p_jar.db()
        self.app._p_jar.close()
        database.close()

    def commit(self):
        import transaction
        from Products.CMFCore.indexing import processQueue

        processQueue()
        transaction.commit()
        self.app._p_jar.cacheGC()

    def publish(self, obj):
        from plone import api

        if api.content.get_state(obj) != "published":
            api.content.transition(obj=obj, transition="publish")

    # -- vanilla --

    def build_vanilla(self):
        from plone import api

        document = api.content.create(
            container=self.portal,
            type="Document",
            id="bench-page",
            title=ACT_TITLE,
            description=BENCH_DESCRIPTION,
            text=_text(BENCH_TEXT),
        )
        self.publish(document)
        folder = api.content.create(
            container=self.portal,
            type="Folder",
            id=VANILLA_LISTING_ID,
            title="Lista dokumentów",
            exclude_from_nav=True,  # else the global sections list its 200 pages everywhere
        )
        self.publish(folder)
        folder.setLayout("tabular_view")
        for number in range(VANILLA_LISTING_ITEMS):
            page = api.content.create(
                container=folder,
                type="Document",
                id=f"dokument-{number}",
                title=f"Dokument nr {number}: informacja urzędu",
                description=f"Pozycja {number} listy: urząd informuje mieszkańców.",
                text=_text(BENCH_TEXT),
                exclude_from_nav=True,  # the global sections query would still find them
            )
            self.publish(page)
        self.commit()

    # -- ratusz --

    def ensure_editors(self):
        from AccessControl.SecurityManagement import newSecurityManager
        from plone import api

        users = []
        for login, fullname in EDITORS:
            user = api.user.get(username=login)
            if user is None:
                user = api.user.create(
                    email=f"{login}@przykladowo.example",
                    username=login,
                    password=secrets.token_urlsafe(16),
                    properties={"fullname": fullname},
                )
                for group in EDITOR_GROUPS:
                    api.group.add_user(groupname=group, username=login)
            users.append(self.portal.acl_users.getUserById(login))
        self.commit()
        self.editors = users
        self.act_as = lambda user: newSecurityManager(None, user.__of__(self.portal.acl_users))

    def set_change_note(self, note):
        from zope.annotation.interfaces import IAnnotations

        annotations = IAnnotations(self.request)
        if note:
            annotations["plone.app.versioningbehavior-changeNote"] = note
        else:
            annotations.pop("plone.app.versioningbehavior-changeNote", None)

    def edit(self, obj, number, note):
        """What the edit form does on save: change a field, change note, ObjectModifiedEvent."""
        from plone.app.textfield.value import RichTextValue
        from zope.event import notify
        from zope.lifecycleevent import Attributes
        from zope.lifecycleevent import ObjectModifiedEvent

        field = "requirements" if obj.portal_type == "BipJobVacancy" else "text"
        html = BENCH_TEXT + f"<p>Zmiana nr {number}: {note}</p>"
        setattr(obj, field, RichTextValue(html, "text/html", "text/x-html-safe"))
        obj.description = f"{obj.description.split(' [')[0]} [zmiana {number}]"
        self.set_change_note(note)
        schema = obj.getTypeInfo().lookupSchema()
        notify(ObjectModifiedEvent(obj, Attributes(schema, field, "description")))
        self.set_change_note(None)

    def create_bench_acts(self):
        from plone import api
        from plone.namedfile.file import NamedBlobFile
        from z3c.relationfield import RelationValue
        from zope.component import getUtility
        from zope.intid.interfaces import IIntIds

        container = self.portal.unrestrictedTraverse(ACT_CONTAINER.lstrip("/").split("/", 1)[1])
        pdf = minimal_pdf()
        self.act_as(self.editors[0])
        if AMENDING_ID not in container:
            amending = api.content.create(
                container=container,
                type="BipLegalAct",
                id=AMENDING_ID,
                title="Uchwała zmieniająca uchwałę w sprawie godzin pracy urzędu",
                description="Zmiana godzin pracy kasy urzędu.",
                act_kind="resolution",
                act_number="XIV/150/2026",
                act_date=datetime.date(2026, 9, 24),
                act_body="council",
                act_status="in_force",
                act_file=NamedBlobFile(
                    minimal_pdf("Uchwala nr XIV/150/2026"),
                    contentType="application/pdf",
                    filename="uchwala-xiv-150-2026.pdf",
                ),
                text=_text("<p>W uchwale nr XII/123/2026 zmienia się godziny pracy kasy.</p>"),
                **_metadata(150),
            )
            self.publish(amending)
        amending = container[AMENDING_ID]
        if ACT_ID not in container:
            intids = getUtility(IIntIds)
            act = api.content.create(
                container=container,
                type="BipLegalAct",
                id=ACT_ID,
                title=ACT_TITLE,
                description=BENCH_DESCRIPTION,
                act_kind="resolution",
                act_number="XII/123/2026",
                act_date=datetime.date(2026, 6, 25),
                act_body="council",
                act_status="amended",
                amended_by=[RelationValue(intids.getId(amending))],
                act_file=NamedBlobFile(
                    pdf, contentType="application/pdf", filename="uchwala-xii-123-2026.pdf"
                ),
                text=_text(BENCH_TEXT),
                **_metadata(123),
            )
            self.publish(act)
        self.commit()

    def build_ratusz(self):
        self.ensure_editors()
        self.create_bench_acts()

    # -- register --

    def populate_register(self):
        from plone import api

        bip = self.portal.unrestrictedTraverse("pl/bip")
        plan = []
        for share, section, type_name in ITEM_MIX:
            plan += [(section, type_name)] * share
        pdf = minimal_pdf()
        items, edits, batch = self.args.items, self.args.edits, self.args.batch
        started = time.monotonic()
        for number in range(items):
            section, type_name = plan[number % len(plan)]
            editor = self.editors[number % len(self.editors)]
            self.act_as(editor)
            container = bip.unrestrictedTraverse(section)
            self.set_change_note(None)  # the add form's empty note: "Initial version"
            obj = api.content.create(
                container=container,
                type=type_name,
                id=f"bench-{number:05d}",
                **_item_fields(type_name, number, pdf),
                **_metadata(number),
            )
            self.publish(obj)
            for edit in range(1, edits + 1):
                # Editors take turns: the BIP workflow gives BIP Editor "CMFEditions:
                # Save new version" (before it did, only the item's creator could save).
                self.act_as(self.editors[(number + edit) % len(self.editors)])
                self.edit(obj, edit, f"Korekta nr {edit}: poprawiono treść i termin.")
            if (number + 1) % batch == 0 or number + 1 == items:
                self.commit()
                spent = time.monotonic() - started
                versions = (number + 1) * (edits + 2)  # creation, publication, edits
                self.log(
                    f"{number + 1}/{items} items, ~{versions} versions, "
                    f"{spent:.0f} s ({versions / spent:.0f} versions/s)"
                )
        self.timings["populate"] = round(time.monotonic() - started, 1)


def _history_id(obj):
    from plone import api

    return api.portal.get_tool("portal_historyidhandler").queryUid(obj)


def count_versions(portal):
    from plone import api

    storage = api.portal.get_tool("portal_historiesstorage")
    catalog = api.portal.get_tool("portal_catalog")
    types = sorted({type_name for _, _, type_name in ITEM_MIX})
    total = items = 0
    for brain in catalog.unrestrictedSearchResults(portal_type=types):
        history_id = _history_id(brain._unrestrictedGetObject())
        if history_id is not None:
            total += len(storage.getHistory(history_id, countPurged=False))
            items += 1
    return items, total


def build_child(kind, var_dir, args):
    builder = Builder(kind, var_dir, args)
    builder.open()
    result = {"kind": kind}
    try:
        if kind == "vanilla":
            builder.build_vanilla()
        else:
            builder.build_ratusz()
            if kind == "register":
                builder.populate_register()
                result["items_with_history"], result["versions"] = count_versions(builder.portal)
    finally:
        builder.close()
    result["timings"] = builder.timings
    result["built_on"] = datetime.date.today().isoformat()
    print("BUILD-RESULT " + json.dumps(result), flush=True)


# -- orchestration -----------------------------------------------------------

SITE_KINDS = ("ratusz", "vanilla", "register")


def wanted_kinds(args):
    if args.only == ["item"]:
        return ["ratusz", "vanilla"]
    if args.only == ["register"]:
        return ["register", "vanilla"]
    return list(SITE_KINDS)


def stamp_for(kind, args):
    # The vanilla site does not load Ratusz: only the building code matters there.
    code = "-" if kind == "vanilla" else code_stamp()
    stamp = {"kind": kind, "code": code, "build_version": BUILD_VERSION}
    if kind == "register":
        stamp.update(items=args.items, edits=args.edits)
    return stamp


def is_current(var_dir, stamp, args):
    stamp_file = var_dir / "bench-stamp.json"
    if not (var_dir / "filestorage" / "Data.fs").exists() or not stamp_file.exists():
        return False
    if args.rebuild:
        return False
    stored = json.loads(stamp_file.read_text(encoding="utf-8"))
    if stored.get("complete") is not True:
        return False
    if args.reuse:
        if stored.get("code") != stamp["code"]:
            print(f"  {var_dir.name}: code changed since the build; --reuse keeps it anyway")
        return True
    return {k: stored.get(k) for k in stamp} == stamp


def build_sites(var_root, kinds, env, args):
    """Build the missing or stale instances in parallel child processes; return build info."""
    options = ["--items", str(args.items), "--edits", str(args.edits), "--batch", str(args.batch)]
    return build_in_children(__file__, var_root, kinds, env, args, stamp_for, options)


def build_in_children(script, var_root, kinds, env, args, stamp_of, options):
    """Build each of ``kinds`` that is missing or stale (``stamp_of(kind, args)`` differs
    from its ``bench-stamp.json``) in parallel children ``script --child-build KIND VAR
    *options``, each printing ``BUILD-RESULT {json}``; return ``{kind: build info}``.

    The benchmarks' one way to build (bip.py, cases.py, eservices.py, gis.py).
    """
    running, info = {}, {}
    for kind in kinds:
        var_dir = var_root / kind
        stamp = stamp_of(kind, args)
        if is_current(var_dir, stamp, args):
            stored = json.loads((var_dir / "bench-stamp.json").read_text(encoding="utf-8"))
            info[kind] = dict(stored.get("result", {}), reused=True)
            print(f"  {kind}: reusing {var_dir} (built {stored.get('built')})", flush=True)
            continue
        if var_dir.exists():
            shutil.rmtree(var_dir)
        var_dir.mkdir(parents=True)
        log_path = var_dir / "build.log"
        argv = [sys.executable, str(script), "--child-build", kind, str(var_dir), *options]
        print(f"  {kind}: building in {var_dir} (log: {log_path})", flush=True)
        running[kind] = (run.start_process(argv, log_path, env), log_path, stamp, time.monotonic())
    deadline = time.monotonic() + args.build_timeout
    for kind, (proc, log_path, stamp, started) in running.items():
        try:
            proc.wait(timeout=max(1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            raise BenchError(f"building {kind} took longer than {args.build_timeout} s")
        finally:
            run.stop_process(proc)
        if proc.returncode != 0:
            raise BenchError(
                f"building the {kind} instance failed ({proc.returncode}); "
                f"last lines of {log_path}:\n{run.tail(log_path, 40)}"
            )
        lines = [
            line
            for line in log_path.read_text(encoding="utf-8").splitlines()
            if line.startswith("BUILD-RESULT ")
        ]
        result = json.loads(lines[-1].split(" ", 1)[1])
        result["seconds"] = round(time.monotonic() - started, 1)
        info[kind] = result
        stamp.update(complete=True, built=datetime.datetime.now().isoformat(timespec="seconds"))
        stamp["result"] = result
        (var_root / kind / "bench-stamp.json").write_text(json.dumps(stamp, indent=2) + "\n")
        extra = f", {result['versions']} versions" if "versions" in result else ""
        print(f"  {kind}: built in {result['seconds']:.0f} s{extra}", flush=True)
    return info


def working_copies(var_root, kinds):
    """Copy each built database to ``run/<kind>``: what a run adds never reaches the build."""
    run_root = var_root / "run"
    for kind in kinds:
        target = run_root / kind
        if target.exists():
            shutil.rmtree(target)
        for sub in ("filestorage", "blobstorage"):
            source = var_root / kind / sub
            if source.exists():
                shutil.copytree(
                    source, target / sub, ignore=shutil.ignore_patterns("*.lock", "*.tmp", "*.old")
                )
    print(f"  copied the databases to {run_root}", flush=True)
    return run_root


def serve_sites(instance, var_root, kinds, env, args):
    servers = {}
    for kind in kinds:
        port = run.free_port()
        log_path = var_root / kind / "log" / "server.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        argv = [str(instance), "serve", "--var", str(var_root / kind), "--host", HOST]
        argv += ["--port", str(port), "--threads", str(args.threads), "--site-id", SITE_ID]
        if kind == "vanilla":
            argv.append("--vanilla")
        servers[kind] = (run.start_process(argv, log_path, env), port, log_path)
    for kind, (proc, port, log_path) in servers.items():
        run.wait_until_up(kind, proc, port, log_path, args.start_timeout)
        print(f"  {kind} answers on http://{HOST}:{port}/{SITE_ID}", flush=True)
    return servers


def check_page(kind, port, path, expect):
    """Anonymous GET: 200, ``expect`` in the HTML, themed. Returns the size in bytes."""
    status, headers, body = run.request(port, "GET", path)
    if status != 200:
        where = headers.get("Location") or headers.get("location") or ""
        raise BenchError(
            f"{kind}: anonymous GET {path} answered {status}{' -> ' + where if where else ''}; "
            "refusing to measure it."
        )
    marker = run.THEME_MARKERS["vanilla" if kind == "vanilla" else "ratusz"]
    if marker.encode() not in body:
        raise BenchError(f"{kind}: {path} is not themed (no {marker!r} in the HTML).")
    if expect and expect.encode("utf-8") not in body:
        raise BenchError(f"{kind}: {path} answered 200 but does not contain {expect!r}.")
    return len(body)


def register_paths(built_on=None):
    """The register's first page and a filtered page: the 30 days up to the build, one section."""
    today = datetime.date.fromisoformat(built_on) if built_on else datetime.date.today()
    month_ago = today - datetime.timedelta(days=30)
    query = {
        "from": month_ago.isoformat(),
        "to": today.isoformat(),
        "section": REGISTER_FILTER_SECTION,
    }
    return REGISTER_VIEW, f"{REGISTER_VIEW}?{urlencode(query)}"


def percentile(values, pct):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def sequential(pages, servers, count, chunks):
    """GET each page ``count`` times one at a time, pages interleaved in ``chunks``."""
    timings = {key: [] for key in pages}
    per_chunk = max(1, count // chunks)
    keys = list(pages)
    for chunk in range(chunks):
        order = keys if chunk % 2 == 0 else list(reversed(keys))
        for key in order:
            kind, path = pages[key]
            port = servers[kind][1]
            for _ in range(per_chunk):
                start = time.perf_counter()
                status, _, _ = run.request(port, "GET", path)
                timings[key].append((time.perf_counter() - start) * 1000)
                if status != 200:
                    raise BenchError(f"{kind}: {path} answered {status} while measuring")
    return {
        key: {
            "kind": pages[key][0],
            "url": pages[key][1],
            "requests": len(values),
            "p50_ms": round(percentile(values, 50), 1),
            "p90_ms": round(percentile(values, 90), 1),
            "p99_ms": round(percentile(values, 99), 1),
            "mean_ms": round(statistics.fmean(values), 1),
        }
        for key, values in timings.items()
    }


def wrk_pairs(pairs, servers, wrk, args):
    """Alternate wrk runs of (name, (kind, path), (kind, path)); best and median per side."""
    results = []
    for index, (name, left, right) in enumerate(pairs):
        sides = {"R": left, "V": right}
        runs = {"R": [], "V": []}
        for round_no in range(args.rounds):
            order = ["R", "V"] if (round_no + index) % 2 == 0 else ["V", "R"]
            for side in order:
                kind, path = sides[side]
                proc, port, log_path = servers[kind]
                if proc.poll() is not None:
                    raise BenchError(f"the {kind} server died; see {log_path}")
                result = run.run_wrk(wrk, port, path, args)
                runs[side].append(result)
                flag = "; ".join(run.problems(result))
                print(
                    f"  {name:<14} {kind:<9} round {round_no + 1}: {result['rps']:7.1f} req/s"
                    f"  p50 {result.get('p50_ms', 0):7.1f} ms  p99 {result.get('p99_ms', 0):7.1f}"
                    f" ms{'  ' + flag if flag else ''}",
                    flush=True,
                )
                time.sleep(1)
        entry = {"name": name, "problems": []}
        for side in ("R", "V"):
            best = max(runs[side], key=lambda r: r["rps"])
            entry[side] = {
                "kind": sides[side][0],
                "url": sides[side][1],
                "runs": runs[side],
                "best": best,
                "median_rps": round(statistics.median(r["rps"] for r in runs[side]), 2),
            }
            for result in runs[side]:
                entry["problems"] += [f"{sides[side][0]}: {p}" for p in run.problems(result)]
        entry["ratio"] = round(entry["R"]["best"]["rps"] / entry["V"]["best"]["rps"], 3)
        entry["ratio_median"] = round(entry["R"]["median_rps"] / entry["V"]["median_rps"], 3)
        results.append(entry)
    return results


def print_wrk_table(results, goal):
    header = (
        f"{'pair':<14}{'BIP r/s':>9}{'vanilla r/s':>12}{'ratio':>7}{'(med)':>7}"
        f"{'p50 B ms':>10}{'p50 V ms':>10}{'p99 B ms':>10}{'p99 V ms':>10}  note"
    )
    print(header)
    print("-" * len(header))
    for entry in results:
        r, v = entry["R"]["best"], entry["V"]["best"]
        note = "ok" if entry["ratio"] >= goal else f"BELOW {goal}x"
        if entry["problems"]:
            note += "; " + "; ".join(entry["problems"])
        print(
            f"{entry['name']:<14}{r['rps']:>9.1f}{v['rps']:>12.1f}{entry['ratio']:>7.2f}"
            f"{entry['ratio_median']:>7.2f}{r.get('p50_ms', 0):>10.1f}{v.get('p50_ms', 0):>10.1f}"
            f"{r.get('p99_ms', 0):>10.1f}{v.get('p99_ms', 0):>10.1f}  {note}"
        )
    for entry in results:
        print(f"  {entry['name']}: B {entry['R']['url']}  V {entry['V']['url']}")


def profile(var_root, pages, args):
    """CPU time per viewlet (profile_pages.py's child), alternated; median per item."""
    import profile_pages

    runs = {kind: [] for kind in pages}
    for repeat in range(args.profile_repeat):
        kinds = list(pages) if repeat % 2 == 0 else list(reversed(pages))
        for kind in kinds:
            argv = [sys.executable, str(HERE / "profile_pages.py")]
            argv += ["--requests", str(args.profile_requests), "--warmup", "20"]
            argv += ["--child", str(var_root / kind), *pages[kind]]
            done = subprocess.run(argv, capture_output=True, text=True, timeout=3600)
            if done.returncode != 0:
                raise BenchError(
                    f"profiling {kind} failed:\n" + "\n".join(done.stderr.splitlines()[-20:])
                )
            runs[kind].append(json.loads(done.stdout))
            print(f"  profiled {kind} ({repeat + 1}/{args.profile_repeat})", flush=True)
    return {kind: profile_pages.median_items(results) for kind, results in runs.items()}


def pyinstrument_child(var_dir, path, out_file, requests):
    """Profile ``requests`` GETs of ``path`` in-process with pyinstrument; write text to a file."""
    import io

    from pyinstrument import Profiler
    from Zope2.Startup.run import make_wsgi_app

    app = make_wsgi_app({}, str(Path(var_dir) / "etc" / "zope.conf"))
    path, _, query = path.partition("?")
    environ_base = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": run.VIRTUAL_HOST,
        "SERVER_PORT": "8080",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": f"{run.VIRTUAL_HOST}:8080",
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }
    for name, value in run.REQUEST_HEADERS.items():
        environ_base["HTTP_" + name.upper().replace("-", "_")] = value

    def get():
        status = []
        environ = dict(environ_base, **{"wsgi.input": io.BytesIO(b"")})
        b"".join(app(environ, lambda s, h, e=None: status.append(s)))
        if not status[0].startswith("200"):
            raise SystemExit(f"{path} answered {status[0]}")

    for _ in range(20):
        get()
    # Wall-clock samples (pyinstrument's CPU-time timer calls the clock on every
    # Python call and inflates call-heavy code): read the proportions, not the seconds.
    profiler = Profiler(interval=0.001)
    profiler.start()
    for _ in range(requests):
        get()
    profiler.stop()
    text = profiler.output_text(unicode=True, color=False, show_all=False)
    Path(out_file).write_text(text, encoding="utf-8")


# The parts of the BIP pages timed by --profile besides profile_pages.py's viewlets
# (nested entries overlap their callers: a part inside a viewlet is in both).
PARTS = [
    "ratusz.bip.pages:BipItemView.facts",
    "ratusz.bip.pages:BipItemView.texts",
    "ratusz.bip.pages:BipItemView.document",
    "ratusz.bip.pages:BipItemView.attachments",
    "ratusz.bip.pages:LegalActView.relations",
    "ratusz.bip.viewlets:menu_sections",
    "ratusz.bip.viewlets:BipMetadataViewlet.rows",
    "ratusz.bip.register:RegisterView.batch",
    "ratusz.bip.register:RegisterView.rows",
    "ratusz.bip.register:RegisterView.section_options",
    "ratusz.bip.register:RegisterView.batch_navigation",
    "ratusz.bip.register:top_sections",
    "ratusz.bip.register:current_urls",
    "ratusz.bip.register:Changes.__len__",
    "ratusz.bip.changelog:sees_all_changes",
    "plone.api.portal:get_localized_time",
]


def parts_child(var_dir, paths, requests):
    """CPU ms per request of the PARTS while publishing ``paths`` in-process; JSON on stdout."""
    import importlib
    import io

    from Zope2.Startup.run import make_wsgi_app

    app = make_wsgi_app({}, str(Path(var_dir) / "etc" / "zope.conf"))
    spent = {}
    clock = time.thread_time

    def timed(function, key):
        def wrapper(*args, **kwargs):
            start = clock()
            try:
                return function(*args, **kwargs)
            finally:
                spent[key] = spent.get(key, 0.0) + clock() - start

        return wrapper

    for part in PARTS:
        module_name, _, attribute = part.partition(":")
        try:
            owner = importlib.import_module(module_name)
            *outer, name = attribute.split(".")
            for step in outer:
                owner = getattr(owner, step)
            original = owner.__dict__[name] if outer else getattr(owner, name)
        except (ImportError, AttributeError, KeyError):
            continue  # not (or no longer) there
        setattr(owner, name, timed(original, part))

    def get(path):
        path, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": run.VIRTUAL_HOST,
            "SERVER_PORT": "8080",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": f"{run.VIRTUAL_HOST}:8080",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
            "wsgi.version": (1, 0),
        }
        for header, value in run.REQUEST_HEADERS.items():
            environ["HTTP_" + header.upper().replace("-", "_")] = value
        status = []
        b"".join(app(environ, lambda s, h, e=None: status.append(s)))
        if not status[0].startswith("200"):
            raise SystemExit(f"{path} answered {status[0]}")

    results = {}
    for path in paths:
        for _ in range(20):
            get(path)
        spent.clear()
        totals = []
        for _ in range(requests):
            start = clock()
            get(path)
            totals.append(clock() - start)
        items = {key: round(value / requests * 1000, 3) for key, value in spent.items()}
        items["TOTAL (median request)"] = round(statistics.median(totals) * 1000, 3)
        results[path] = items
    json.dump(results, sys.stdout)


def run_parts(var_root, pages, args):
    """The PARTS of the Ratusz pages, median of --profile-repeat runs."""
    import profile_pages

    runs = {kind: [] for kind in pages}
    for repeat in range(args.profile_repeat):
        for kind, paths in pages.items():
            argv = [sys.executable, __file__, "--child-parts", str(var_root / kind), *paths]
            argv += ["--profile-requests", str(args.profile_requests)]
            done = subprocess.run(argv, capture_output=True, text=True, timeout=3600)
            if done.returncode != 0:
                raise BenchError(
                    f"timing the parts of {kind} failed:\n"
                    + "\n".join(done.stderr.splitlines()[-20:])
                )
            runs[kind].append(json.loads(done.stdout))
        print(f"  parts timed ({repeat + 1}/{args.profile_repeat})", flush=True)
    return {kind: profile_pages.median_items(results) for kind, results in runs.items()}


def run_pyinstrument(var_root, pages, args):
    """pyinstrument call trees of the Ratusz pages, one text file per page under var/bip/."""
    if shutil.which("pyinstrument", path=str(Path(sys.executable).parent)) is None:
        try:
            import pyinstrument  # noqa: F401
        except ImportError:
            raise BenchError(
                "--pyinstrument needs pyinstrument: .venv/bin/pip install pyinstrument"
            )
    written = []
    for kind, path in pages:
        name = path.rstrip("/").split("/")[-1].split("?")[0] + ("-filtered" * ("?" in path))
        out_file = var_root / f"pyinstrument-{kind}-{name}.txt"
        argv = [sys.executable, __file__, "--child-pyinstrument", str(var_root / kind), path]
        argv += [str(out_file), "--profile-requests", str(args.profile_requests)]
        done = subprocess.run(argv, capture_output=True, text=True, timeout=3600)
        if done.returncode != 0:
            raise BenchError(
                f"pyinstrument on {kind} failed:\n" + "\n".join(done.stderr.splitlines()[-20:])
            )
        written.append(str(out_file))
        print(f"  pyinstrument {kind} {path}: {out_file}", flush=True)
    return written


def print_profile(measured, left, right, min_diff=0.2):
    total = "TOTAL (median request)"
    (lkind, lpath), (rkind, rpath) = left, right
    a_items, b_items = measured[lkind][lpath], measured[rkind][rpath]
    print(
        f"\n{lkind} {lpath} vs {rkind} {rpath}: CPU ms/request {a_items[total]:.1f} vs "
        f"{b_items[total]:.1f} (throughput ratio ~{b_items[total] / a_items[total]:.2f})"
    )
    print(f"  {'item (ms per request)':<72}{lkind[:8]:>8}{rkind[:8]:>8}{'diff':>8}")
    keys = sorted(set(a_items) | set(b_items), key=lambda k: b_items.get(k, 0) - a_items.get(k, 0))
    for key in keys:
        a, b = a_items.get(key, 0.0), b_items.get(key, 0.0)
        if key != total and (abs(a - b) >= min_diff or a >= 1.0):
            print(f"  {key[:72]:<72}{a:8.2f}{b:8.2f}{a - b:+8.2f}")


def bench(args):
    started = time.monotonic()
    python = Path(sys.executable)
    instance = python.parent / "ratusz-instance"
    if not instance.exists():
        raise BenchError(f"{instance} not found: run this with the project venv's python")
    wrk = shutil.which("wrk")
    if not wrk:
        raise BenchError("wrk is not installed (apt-get install wrk)")
    var_root = Path(args.var).resolve()
    var_root.mkdir(parents=True, exist_ok=True)
    password_file = var_root / "admin-password"
    if password_file.exists():
        password = password_file.read_text(encoding="utf-8").strip()
    else:
        password = secrets.token_urlsafe(16)
        password_file.touch(mode=0o600)
        password_file.write_text(password + "\n", encoding="utf-8")
    env = dict(os.environ, ADMIN_PASSWORD=password)
    info = run.machine_info(str(python))
    kinds = wanted_kinds(args)
    do_item = not args.only or "item" in args.only
    do_register = not args.only or "register" in args.only

    print(f"Building or reusing the instances under {var_root} ...", flush=True)
    build = build_sites(var_root, kinds, env, args)
    built = time.monotonic()
    servers = serve_sites(instance, var_root, kinds, env, args)

    register_first, register_filtered = register_paths(build.get("register", {}).get("built_on"))
    vanilla_listing = f"/{SITE_ID}/{VANILLA_LISTING_ID}?b_size={args.page_size}"
    vanilla_search = f"/{SITE_ID}/@@search?{urlencode({'SearchableText': VANILLA_SEARCH_TERM})}"
    checks = []
    if do_item:
        checks += [("ratusz", ACT_PATH, ACT_TITLE), ("vanilla", VANILLA_DOCUMENT, ACT_TITLE)]
        if "register" in kinds:
            checks.append(("register", ACT_PATH, ACT_TITLE))
    if do_register:
        checks += [
            ("register", register_first, None),
            ("register", register_filtered, None),
            ("vanilla", vanilla_listing, "Dokument nr 1"),
            ("vanilla", vanilla_search, None),
        ]
    sizes = {}
    for kind, path, expect in checks:
        size = check_page(kind, servers[kind][1], path, expect)
        sizes[f"{kind} {path}"] = size
        print(f"  {kind} {path}: 200, {size} bytes; warming up ({args.warmup})", flush=True)
        run.warm_up(kind, servers[kind][1], path, args.warmup)

    report = {
        "date": datetime.date.today().isoformat(),
        "machine": info,
        "build": build,
        "sizes": sizes,
        "parameters": {
            "wrk": f"wrk -t{args.wrk_threads} -c{args.connections} -d{args.duration}s "
            f"--timeout={args.wrk_timeout}s --latency -s benchmarks/count_status.lua",
            "waitress_threads": args.threads,
            "rounds": args.rounds,
            "sequential": args.sequential,
            "items": args.items,
            "edits": args.edits,
        },
    }
    if do_item:
        print("\nItem page (requirement 1) ...", flush=True)
        pairs = [("item", ("ratusz", ACT_PATH), ("vanilla", VANILLA_DOCUMENT))]
        if "register" in kinds:
            pairs.append(("item-big", ("register", ACT_PATH), ("vanilla", VANILLA_DOCUMENT)))
        report["item"] = wrk_pairs(pairs, servers, wrk, args)
    if do_register:
        print("\nChange register (requirement 2): sequential requests ...", flush=True)
        pages = {
            "register": ("register", register_first),
            "register-filtered": ("register", register_filtered),
            "vanilla-listing": ("vanilla", vanilla_listing),
            "vanilla-search": ("vanilla", vanilla_search),
        }
        report["register_sequential"] = sequential(pages, servers, args.sequential, args.chunks)
        for key, row in report["register_sequential"].items():
            print(f"  {key:<18} p50 {row['p50_ms']:6.1f} ms  p99 {row['p99_ms']:6.1f} ms")
        print("  throughput ...", flush=True)
        pairs = [
            ("register", ("register", register_first), ("vanilla", vanilla_listing)),
            ("reg-filtered", ("register", register_filtered), ("vanilla", vanilla_listing)),
        ]
        report["register_wrk"] = wrk_pairs(pairs, servers, wrk, args)
    info["loadavg_end"] = os.getloadavg()
    run.stop_all()

    try:  # a failure here (e.g. code in flux) must not lose the measurements above
        if args.profile:
            print("\nProfiling (servers stopped) ...", flush=True)
            pages = {}
            if do_item:
                pages["ratusz"] = [ACT_PATH]
                pages["vanilla"] = [VANILLA_DOCUMENT]
            if do_register:
                pages.setdefault("vanilla", []).append(f"/{SITE_ID}/{VANILLA_LISTING_ID}")
                pages["register"] = [register_first]
            report["profile"] = profile(var_root, pages, args)
            parts_pages = {"ratusz": [ACT_PATH]} if do_item else {}
            if do_register:
                parts_pages["register"] = [register_first, register_filtered]
            report["parts"] = run_parts(var_root, parts_pages, args)
        if args.pyinstrument:
            pages = [("ratusz", ACT_PATH)] if do_item else []
            if do_register:
                pages += [("register", register_first), ("register", register_filtered)]
            report["pyinstrument"] = run_pyinstrument(var_root, pages, args)
    except BenchError as error:
        report["profile_error"] = str(error)
        print(f"Profiling failed, the measurements stand: {error}", flush=True)

    report["seconds"] = {"build": round(built - started, 1), "total": 0}
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
        how = "reused" if result.get("reused") else "built"
        extra = ""
        if "versions" in result:
            extra = (
                f": {result['items_with_history']} items with history, "
                f"{result['versions']} versions, populated in {result['timings']['populate']} s"
            )
        print(f"{kind}: {how}{extra}")
    if "item" in report:
        print("\nItem page, wrk (best run of each side; (med) = ratio of the medians):")
        print_wrk_table(report["item"], ITEM_GOAL)
    if "register_sequential" in report:
        print(f"\nChange register, {args.sequential} sequential anonymous GETs per page:")
        print(f"{'page':<20}{'p50 ms':>9}{'p90 ms':>9}{'p99 ms':>9}{'mean ms':>9}  url")
        for key, row in report["register_sequential"].items():
            print(
                f"{key:<20}{row['p50_ms']:>9.1f}{row['p90_ms']:>9.1f}{row['p99_ms']:>9.1f}"
                f"{row['mean_ms']:>9.1f}  {row['kind']} {row['url']}"
            )
        for key in ("register", "register-filtered"):
            row = report["register_sequential"][key]
            verdict = "met" if row["p50_ms"] < REGISTER_GOAL_MS else "MISSED"
            print(
                f"  {key}: p50 {row['p50_ms']:.0f} ms, target < {REGISTER_GOAL_MS:.0f} ms {verdict}"
            )
        print("\nChange register, wrk (ratio to vanilla's listing; no goal, for context):")
        print_wrk_table(report["register_wrk"], 0)
    if "profile" in report:
        measured = report["profile"]
        if "ratusz" in measured:
            print_profile(measured, ("ratusz", ACT_PATH), ("vanilla", VANILLA_DOCUMENT))
        if "register" in measured:
            register_first, _ = register_paths()  # the first page has no date
            print_profile(
                measured,
                ("register", register_first),
                ("vanilla", f"/{SITE_ID}/{VANILLA_LISTING_ID}"),
            )
    for kind, per_path in report.get("parts", {}).items():
        for path, items in per_path.items():
            total = items.get("TOTAL (median request)", 0)
            print(f"\nParts of {kind} {path} (CPU ms per request; the page: {total:.1f} ms):")
            for key, value in sorted(items.items(), key=lambda kv: -kv[1]):
                if not key.startswith("TOTAL"):
                    print(f"  {key:<60}{value:8.2f}")
    load = ", ".join(f"{x:.2f}" for x in info["loadavg_start"])
    load_end = ", ".join(f"{x:.2f}" for x in info["loadavg_end"])
    print(
        f"\n{info['nproc']} CPUs ({info['cpu']}), load average at start {load}, at end "
        f"{load_end}; waitress threads {args.threads}; wrk -t{args.wrk_threads} "
        f"-c{args.connections} -d{args.duration}s, {args.rounds} runs per side."
    )
    print(
        f"Whole run: {report['seconds']['total']:.0f} s (building/reusing the instances "
        f"{report['seconds']['build']:.0f} s)."
    )


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--var", default=str(HERE / "var" / "bip"), help="where instances go")
    parser.add_argument("--only", choices=["item", "register"], action="append")
    parser.add_argument("--items", type=int, default=1000, help="register site items (1000)")
    parser.add_argument("--edits", type=int, default=8, help="edits per item (8: 10 versions)")
    parser.add_argument("--batch", type=int, default=25, help="items per commit (25)")
    parser.add_argument("--rebuild", action="store_true", help="rebuild even current instances")
    parser.add_argument("--reuse", action="store_true", help="reuse complete instances, even stale")
    parser.add_argument("--duration", type=int, default=15, help="seconds per wrk run (15)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (8)")
    parser.add_argument("--wrk-threads", type=int, default=2, help="wrk threads (2)")
    parser.add_argument("--wrk-timeout", type=int, default=10, help="wrk request timeout, s")
    parser.add_argument("--threads", type=int, default=4, help="waitress threads per server (4)")
    parser.add_argument("--rounds", type=int, default=3, help="wrk runs per URL and server (3)")
    parser.add_argument("--warmup", type=int, default=30, help="warm-up requests per URL (30)")
    parser.add_argument("--sequential", type=int, default=200, help="sequential GETs per page")
    parser.add_argument("--chunks", type=int, default=4, help="interleaving of sequential GETs")
    parser.add_argument("--page-size", type=int, default=50, help="vanilla listing b_size (50)")
    parser.add_argument("--profile", action="store_true", help="CPU time per viewlet afterwards")
    parser.add_argument(
        "--pyinstrument",
        action="store_true",
        help="also write pyinstrument call trees of the Ratusz pages to --var (needs "
        "pyinstrument in the venv, not a project dependency)",
    )
    parser.add_argument("--profile-requests", type=int, default=100)
    parser.add_argument("--profile-repeat", type=int, default=3)
    parser.add_argument("--json", metavar="FILE", help="write the results as JSON to FILE")
    parser.add_argument("--start-timeout", type=int, default=300, help="server start limit, s")
    parser.add_argument("--build-timeout", type=int, default=3600, help="build limit, s")
    parser.add_argument("--child-build", nargs=2, metavar=("KIND", "VAR"), help=argparse.SUPPRESS)
    parser.add_argument("--child-pyinstrument", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--child-parts", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.rebuild and args.reuse:
        parser.error("--rebuild and --reuse exclude each other")
    for name in ("duration", "connections", "wrk_threads", "threads", "rounds", "items", "batch"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    return args


def main(argv=None):
    args = parse_args(argv)
    if args.child_build:
        build_child(args.child_build[0], args.child_build[1], args)
        return 0
    if args.child_parts:
        parts_child(args.child_parts[0], args.child_parts[1:], args.profile_requests)
        return 0
    if args.child_pyinstrument:
        pyinstrument_child(*args.child_pyinstrument, args.profile_requests)
        return 0
    return run.run_guarded("benchmarks/bip.py", bench, args)


if __name__ == "__main__":
    sys.exit(main())
