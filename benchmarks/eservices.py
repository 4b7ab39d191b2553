"""E-services: submissions through the real form, and the catalogue beside vanilla Plone 6.2.

Usage (from the repository root; ``make bench-eservices`` runs the first line)::

    .venv/bin/python benchmarks/eservices.py
    .venv/bin/python benchmarks/eservices.py --reuse --json eservices.json
    .venv/bin/python benchmarks/eservices.py --only submissions --reuse
    .venv/bin/python benchmarks/eservices.py --only catalogue --reuse --profile

The issue's targets (docs/benchmarks.md, "E-services"):

1. **>= 20 submissions per second with 8 concurrent clients** through the form
   endpoints, on the embedded default: FileStorage, the instance as
   ``ratusz-instance start`` serves it (``--threads`` waitress threads, 4 like
   ``make start``). Both endpoints are measured: the REST endpoint
   (``POST <form>/++api++/@eservice-submit``, JSON, anonymous) and the real HTML
   form (anonymous, multipart POST of the easyform form, the thank-you page with
   the receipt). Each beside vanilla Plone 6.2 in the same run: the HTML form
   beside a collective.easyform form with the same fields and easyform's Save Data
   action, the REST endpoint beside plone.restapi creating a Document. Afterwards
   nothing lost and nothing doubled: as many cases and incoming items as receipts
   were given, the case signs distinct and consecutive;
2. the catalogue page ``/Plone/pl/e-uslugi`` (the demo cards, and ``--cards``
   cards) answers **>= 0.9x the requests/s of a vanilla Plone 6.2 folder listing**
   of as many Documents, same run.

What it does:

1. builds three instances under ``benchmarks/var/eservices/`` (git-ignored), each
   in a child process that loads Zope in-process (bip.py's Builder):

   ``ratusz``     the Ratusz site with its demo content (15 service cards in
                  ``/pl/e-uslugi``) plus the card ``zaswiadczenie-benchmark`` (OR,
                  JRWA 0020, kind certificate, no clerk: its cases go to the
                  department's head) with an online form made by
                  ``ratusz.eservices.forms.create_online_form``: applicant_name,
                  applicant_email, applicant_address and an optional file
                  ``attachment``; the information clause and the honeypot are added
                  by Ratusz's form extender. The per-client rate limit (registry
                  ``ratusz.eservices.submissions_per_hour``, default 20) is set to
                  10,000, the largest value its field accepts (100,000 is refused
                  by the registry's validation): every client here is 127.0.0.1;
   ``ratusz200``  the same, and ``/pl/e-uslugi`` filled up to ``--cards`` published
                  cards (the demo cards' texts again, numbered, with a form where
                  the demo card has one);
   ``vanilla``    plain Plone 6.2 Classic (Ratusz's ZCML not loaded): two published
                  folders, ``/Plone/uslugi-16`` and ``/Plone/uslugi-<cards>`` (excluded
                  from navigation, ``listing_view``, Plone's default folder view),
                  holding published Documents with the same titles and descriptions
                  as the cards of the two catalogues.

   The instances are kept (``bench-stamp.json``) and reused while the stamp (the
   options and a hash of Ratusz's Python, ZCML and profiles) matches; ``--reuse``
   keeps complete ones even when the code changed, ``--rebuild`` builds again.
2. copies the built databases to ``benchmarks/var/eservices/run/<kind>`` (the
   submissions add cases: every run starts from the built database and the series
   from its first number) and serves the copies (``ratusz-instance serve``, free
   ports of 127.0.0.1, ``--threads`` waitress threads each, Host ``localhost`` so
   that the theme is applied, see run.py);
3. catalogue: checks each page anonymously (200, themed, every card's or
   Document's title in it), warms it up, then ``wrk`` alternately on the Ratusz
   catalogue and the vanilla folder (R,V then V,R ...), ``--rounds`` runs each
   (bip.py's wrk_pairs). Vanilla's folder view batches 20 items a page by default:
   it is asked for ``?b_size=<n>`` so that it lists all of them, as the catalogue
   does;
4. submissions: vanilla gets its counterparts through its REST API (collective.easyform
   installed, the form ``/Plone/formularz-benchmark``, the folder ``/Plone/wnioski``);
   then one submission of each variant alone on each side (the templates compiled by
   one thread), then ``--baseline-seconds`` of one client alone on each side, then
   ``--clients`` threads, each with its own ``requests.Session``, for
   ``--submit-seconds`` a round. HTML: each client GETs the form once (its
   ``_authenticator`` and field names) and POSTs it as a browser does (multipart, the
   required acknowledgement ``form.widgets.ratusz_privacy_acknowledged:list=selected``,
   the honeypot ``form.widgets.ratusz_website`` empty, ``form.buttons.submit``). REST:
   ``{"data": {...}, "acknowledged": true}``, the file as base64. Vanilla REST: a
   Document with the applicant's name, e-mail and address, as its administrator.
   The variants ``text`` (no file) and ``png`` (a 1x1 PNG in ``attachment``)
   alternate over ``--submit-rounds``, Ratusz and vanilla alternately first.
   Counted as wrk counts: the responses completed within the window that carry a
   receipt (case sign and incoming number; vanilla: its thank-you page listing the
   e-mail sent, or 201); those still running at its end (some sleeping before a
   conflict retry) are counted apart ("with the drain"). Conflict retries are read
   from the servers' logs (which object, resolved to its path afterwards);
5. after stopping the servers, the run's Ratusz database is opened in-process and
   checked: e-service cases and incoming items made = receipts shown; the answered
   signs and incoming numbers distinct and in the database, each case linked to its
   item and catalogued; the catalog's ``OR.0020.*.<year>`` series numbered 1..n
   without a gap or a duplicate; the queued receipt mails (none: the demo site has
   no mail settings, as ``make start`` makes it). With ``--profile``: submissions
   published in-process one at a time, the CPU time of their parts and how long the
   numbering's lock is held (from the first number taken to the end of the
   request), and a cProfile (``profile-submission-*.txt`` in --var); CPU time per
   viewlet of the catalogue pages and the vanilla folders (profile_pages.py's
   in-process child, alternated).

Exit status 0 when everything ran (even when a target is missed), 1 when
something failed to run, 130 on Ctrl+C. The servers are always stopped.
"""

import argparse
import base64
import datetime
import html
import json
import os
import re
import secrets
import shutil
import statistics
import struct
import subprocess
import sys
import threading
import time
import zlib
from html.parser import HTMLParser
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import bip  # noqa: E402 - benchmarks/bip.py: Builder, code_stamp, serve_sites, wrk_pairs
import cases  # noqa: E402 - benchmarks/cases.py: the made-up residents' names
import run  # noqa: E402 - benchmarks/run.py: processes, HTTP, wrk, machine info
from run import SITE_ID  # noqa: E402
from run import BenchError  # noqa: E402

SUBMIT_GOAL = 20.0  # submissions per second with 8 concurrent clients
CATALOGUE_GOAL = 0.9  # catalogue req/s >= 0.9x the vanilla folder listing

CARDS_JSON = REPO / "src" / "ratusz" / "eservices" / "data" / "cards.json"
CATALOGUE = f"/{SITE_ID}/pl/e-uslugi"
CARD_ID = "zaswiadczenie-benchmark"
CARD_TITLE = "Zaświadczenie (benchmark e-usług)"
FORM_ID = "formularz"
FORM_PATH = f"{CATALOGUE}/{CARD_ID}/{FORM_ID}"
HANDLING = {"department": "OR", "jrwa": "0020", "case_kind": "certificate"}
FORM_FIELDS = [
    {"id": "applicant_name", "type": "TextLine", "title": "Imię i nazwisko", "required": True},
    {"id": "applicant_email", "type": "Email", "title": "Adres e-mail", "required": True},
    {
        "id": "applicant_address",
        "type": "Text",
        "title": "Adres do korespondencji",
        "required": True,
    },
    {"id": "attachment", "type": "File", "title": "Załącznik (skan, zdjęcie)"},
]
# The submissions per hour a client may file; the field's maximum (IEServicesSettings).
RATE_LIMIT = 10_000
RATE_RECORD = "ratusz.eservices.submissions_per_hour"
VARIANTS = ("text", "png")

KINDS = ("ratusz", "ratusz200", "vanilla")

FIRST_NAMES = cases.FIRST_NAMES
LAST_NAMES = cases.LAST_NAMES
STREETS = cases.STREETS

BUILD_VERSION = 2  # bump when the building code changes what is built


def demo_cards():
    """The demo cards (src/ratusz/eservices/data/cards.json), read without loading Zope."""
    return json.loads(CARDS_JSON.read_text(encoding="utf-8"))


def small_count():
    """Cards in the ``ratusz`` catalogue: the demo's and the benchmark's own."""
    return len(demo_cards()) + 1


def extra_cards(total):
    """``[(id, title, spec)]`` of the generated cards that make ``total`` in the big catalogue."""
    specs = demo_cards()
    made = []
    for number in range(total - small_count()):
        spec = specs[number % len(specs)]
        copy = number // len(specs) + 2
        made.append((f"{spec['id']}-{copy}", f"{spec['title']} (wariant {copy})", spec))
    return made


def listed_cards(total=None):
    """``[(title, description)]`` of the cards a catalogue lists (its demo, bench, extra)."""
    listed = [(spec["title"], spec["description"]) for spec in demo_cards()]
    listed.append((CARD_TITLE, bench_card_description()))
    if total:
        listed += [(title, spec["description"]) for _, title, spec in extra_cards(total)]
    return listed


def vanilla_folders(cards):
    """``{"small": id, "big": id}`` of vanilla's folders: ``uslugi-16``, ``uslugi-<cards>``."""
    return {"small": f"uslugi-{small_count()}", "big": f"uslugi-{cards}"}


def bench_card_description():
    return "Wniosek o wydanie zaświadczenia, składany przez internet (karta do testów wydajności)."


def minimal_png():
    """A valid 1x1 PNG (69 bytes): the upload check reads its signature and chunks."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1x1, 8 bits, RGB
    pixels = zlib.compress(b"\x00\xd4\x21\x3d")  # filter byte, one red pixel
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


# -- building (child processes) ------------------------------------------------


class EServicesBuilder(bip.Builder):
    """bip.py's Builder (one instance, loaded in-process) with the cards or Documents."""

    def bench_card(self, catalogue):
        from plone import api

        from ratusz.eservices.forms import create_online_form

        if CARD_ID in catalogue:
            return catalogue[CARD_ID]
        card = api.content.create(
            container=catalogue,
            type="ServiceCard",
            id=CARD_ID,
            title=CARD_TITLE,
            description=bench_card_description(),
            purpose="Wydanie zaświadczenia na wniosek złożony przez internet.",
            handling_time="do 7 dni",
            place="Urząd Miasta, Biuro Obsługi Mieszkańców, parter.",
            life_events=["documents"],
            language="pl",
            **HANDLING,
        )
        self.publish(card)
        form = create_online_form(card, FORM_FIELDS, title=f"{CARD_TITLE} — formularz")
        self.publish(form)
        return card

    def extra_cards(self, catalogue, total):
        from plone import api

        from ratusz.eservices.demo import TEXT_FIELDS
        from ratusz.eservices.forms import create_online_form

        started = time.monotonic()
        for number, (card_id, title, spec) in enumerate(extra_cards(total)):
            if card_id in catalogue:
                continue
            fields = {name: spec[name] for name in TEXT_FIELDS if name != "title"}
            card = api.content.create(
                container=catalogue,
                type="ServiceCard",
                id=card_id,
                title=title,
                case_kind=spec["case_kind"],
                language="pl",
                **fields,
            )
            self.publish(card)
            if spec.get("form"):
                form = create_online_form(
                    card, spec["form"]["fields"], title=f"{title} — formularz"
                )
                self.publish(form)
            if (number + 1) % 25 == 0:
                self.commit()
                self.log(f"{number + 1} extra cards, {time.monotonic() - started:.0f} s")
        self.timings["extra_cards"] = round(time.monotonic() - started, 1)

    def build_ratusz(self, total=None):
        from plone import api

        from ratusz.cases.numbering import last_number
        from ratusz.eservices.structure import create_catalogues

        api.portal.set_registry_record(RATE_RECORD, RATE_LIMIT)
        catalogue = create_catalogues()["pl"]
        self.bench_card(catalogue)
        self.commit()
        if total:
            self.extra_cards(catalogue, total)
            self.commit()
        catalog = api.portal.get_tool("portal_catalog")
        path = "/".join(catalogue.getPhysicalPath())
        cards = catalog.unrestrictedSearchResults(portal_type="ServiceCard", path=path)
        year = datetime.date.today().year
        key = ("case", HANDLING["department"], HANDLING["jrwa"], year)
        return {
            "cards": len(cards),
            "published_cards": sum(b.review_state == "published" for b in cards),
            "forms": len(catalog.unrestrictedSearchResults(portal_type="EasyForm", path=path)),
            "rate_limit": api.portal.get_registry_record(RATE_RECORD),
            "series_start": last_number(self.portal, key),
            "email_from_address": api.portal.get_registry_record(
                "plone.email_from_address", default=None
            ),
            "smtp": f"{self.portal.MailHost.smtp_host}:{self.portal.MailHost.smtp_port}",
        }

    def build_vanilla(self, total=None):
        from plone import api

        made = {}
        for size, folder_id in vanilla_folders(self.args.cards).items():
            listed = listed_cards(self.args.cards if size == "big" else None)
            if folder_id not in self.portal:
                folder = api.content.create(
                    container=self.portal,
                    type="Folder",
                    id=folder_id,
                    title="Usługi",
                    exclude_from_nav=True,  # else the global sections list it on every page
                )
                self.publish(folder)
                folder.setLayout("listing_view")  # Plone's default folder view, made sure
                for number, (title, description) in enumerate(listed):
                    page = api.content.create(
                        container=folder,
                        type="Document",
                        id=f"usluga-{number}",
                        title=title,
                        description=description,
                        exclude_from_nav=True,
                    )
                    self.publish(page)
                self.commit()
            made[folder_id] = len(self.portal[folder_id].objectIds())
        made.update(self.vanilla_counterparts())
        return {"documents": made}

    def vanilla_counterparts(self):
        """What the submissions are measured beside: collective.easyform installed and the
        published form ``VANILLA_FORM`` (the benchmark form's four fields, easyform's Save
        Data as its only action), and the published folder ``VANILLA_FOLDER`` for the
        Documents created through REST — unordered, like Ratusz's register and case
        folder (an ordered folder's order list would make every two additions conflict)."""
        from plone import api
        from plone.base.utils import get_installer

        installer = get_installer(self.portal)
        if not installer.is_product_installed("collective.easyform"):
            installer.install_product("collective.easyform")
        form_id = VANILLA_FORM.rsplit("/", 1)[1]
        if form_id not in self.portal:
            form = api.content.create(
                container=self.portal,
                type="EasyForm",
                id=form_id,
                title="Formularz (benchmark)",
                exclude_from_nav=True,
            )
            form.fields_model = VANILLA_FIELDS
            form.actions_model = VANILLA_ACTIONS
            self.publish(form)
        folder_id = VANILLA_FOLDER.rsplit("/", 1)[1]
        if folder_id not in self.portal:
            folder = api.content.create(
                container=self.portal,
                type="Folder",
                id=folder_id,
                title="Wnioski",
                exclude_from_nav=True,
            )
            folder.setOrdering("unordered")
            self.publish(folder)
        self.commit()
        return {form_id: "EasyForm (Save Data)", folder_id: "Folder (unordered)"}


def build_child(kind, var_dir, args):
    builder = EServicesBuilder(kind, var_dir, args)
    builder.open()
    try:
        if kind == "vanilla":
            result = builder.build_vanilla()
        else:
            result = builder.build_ratusz(args.cards if kind == "ratusz200" else None)
    finally:
        builder.close()
    result.update(kind=kind, timings=builder.timings, built_on=datetime.date.today().isoformat())
    print("BUILD-RESULT " + json.dumps(result), flush=True)


# -- orchestration -----------------------------------------------------------


def stamp_for(kind, args):
    code = "-" if kind == "vanilla" else bip.code_stamp()
    stamp = {"kind": kind, "code": code, "build_version": BUILD_VERSION}
    if kind != "ratusz":
        stamp["cards"] = args.cards
    return stamp


def build_sites(var_root, env, args):
    """Build the missing or stale instances (bip.py's build_in_children); return build info."""
    options = ["--cards", str(args.cards)]
    return bip.build_in_children(__file__, var_root, KINDS, env, args, stamp_for, options)


def catalogue_pages(args):
    """``{name: ((kind, path, titles), (kind, path, titles))}``: Ratusz vs vanilla.

    The catalogue lists all its cards on one page; vanilla's folder view batches 20
    items a page, so it is asked for all of them (``b_size``), and for the big
    catalogue also measured as it comes (20 rows and the batch navigation).
    """
    small, big = listed_cards(), listed_cards(args.cards)
    small_titles = [title for title, _ in small]
    big_titles = [title for title, _ in big]
    folders = vanilla_folders(args.cards)
    vanilla_big = f"/{SITE_ID}/{folders['big']}"
    return {
        f"catalogue-{len(small)}": (
            ("ratusz", CATALOGUE, small_titles),
            ("vanilla", f"/{SITE_ID}/{folders['small']}", small_titles),
        ),
        f"catalogue-{len(big)}": (
            ("ratusz200", CATALOGUE, big_titles),
            ("vanilla", f"{vanilla_big}?b_size={len(big)}", big_titles),
        ),
        f"{len(big)}-vs-20-rows": (
            ("ratusz200", CATALOGUE, big_titles),
            ("vanilla", vanilla_big, big_titles[:20]),
        ),
    }


def check_listing(kind, port, path, titles):
    """Anonymous GET: 200, themed (bip.check_page), and every title listed; the size."""
    size = bip.check_page(kind, port, path, None)
    _, _, body = run.request(port, "GET", path)
    text = body.decode("utf-8")
    missing = [title for title in titles if html.escape(title, quote=False) not in text]
    if missing:
        raise BenchError(
            f"{kind}: {path} lists {len(titles) - len(missing)} of {len(titles)} titles "
            f"(missing e.g. {missing[0]!r}); refusing to compare it."
        )
    return size


def measure_catalogue(servers, wrk, args):
    pages = catalogue_pages(args)
    sizes = {}
    for left, right in pages.values():
        for kind, path, titles in (left, right):
            key = f"{kind} {path}"
            if key in sizes:
                continue
            port = servers[kind][1]
            sizes[key] = check_listing(kind, port, path, titles)
            print(
                f"  {kind} {path}: 200, {len(titles)} titles listed, {sizes[key]} bytes; "
                f"warming up ({args.warmup})",
                flush=True,
            )
            run.warm_up(kind, port, path, args.warmup)
    pairs = [(name, left[:2], right[:2]) for name, (left, right) in pages.items()]
    return {"sizes": sizes, "wrk": bip.wrk_pairs(pairs, servers, wrk, args)}


# -- submissions -------------------------------------------------------------


class FormParser(HTMLParser):
    """The inputs of the form that holds ``form.buttons.submit``: action, names, hidden values."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self.current = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.current = {"action": attrs.get("action"), "enctype": attrs.get("enctype")}
            self.current["inputs"] = []
            self.forms.append(self.current)
        elif tag in ("input", "textarea", "select", "button") and self.current is not None:
            self.current["inputs"].append(dict(attrs, tag=tag))

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None


def read_form(html_text):
    """``{"action", "hidden": [(name, value)], "names": {...}}`` of the e-service form."""
    parser = FormParser()
    parser.feed(html_text)
    for form in parser.forms:
        names = {i.get("name") for i in form["inputs"] if i.get("name")}
        if "form.buttons.submit" in names:
            hidden = [
                (i["name"], i.get("value") or "")
                for i in form["inputs"]
                if i.get("type") == "hidden" and i.get("name")
            ]
            submit = next(i for i in form["inputs"] if i.get("name") == "form.buttons.submit")
            return {
                "action": form["action"],
                "enctype": form["enctype"],
                "hidden": hidden,
                "names": names,
                "submit": submit.get("value") or "",
            }
    raise BenchError("no form with form.buttons.submit on the form page")


WIDGETS = "form.widgets."
ACK = f"{WIDGETS}ratusz_privacy_acknowledged:list"
HONEYPOT = f"{WIDGETS}ratusz_website"
FILE_WIDGET = f"{WIDGETS}attachment"
SIGN_RE = re.compile(r"\b(OR\.0020\.(\d+)\.(\d{4}))\b")
NUMBER_RE = re.compile(r"\b(RPW/\d+/\d{4})\b")


def check_form(form):
    wanted = [f"{WIDGETS}{name}" for name in ("applicant_name", "applicant_email")]
    wanted += [f"{WIDGETS}applicant_address", ACK, HONEYPOT, FILE_WIDGET]
    missing = [name for name in wanted if name not in form["names"]]
    if missing:
        raise BenchError(f"the form lacks {missing}; it has {sorted(form['names'])}")
    if "_authenticator" not in dict(form["hidden"]):
        print("  note: the form has no _authenticator (CSRF token)", flush=True)


def post_fields(form, client, number, variant, png):
    """The multipart body a browser sends: (fields, files) for requests."""
    data = list(form["hidden"])
    data += [(f"{WIDGETS}{name}", value) for name, value in applicant(client, number).items()]
    data += [
        (ACK, "selected"),
        (HONEYPOT, ""),
        ("form.buttons.submit", form["submit"]),
    ]
    if variant == "png":
        files = {FILE_WIDGET: (f"skan-{client}-{number}.png", png, "image/png")}
    else:  # an empty file input, as a browser sends it
        files = {FILE_WIDGET: ("", b"", "application/octet-stream")}
    return data, files


# How each side files: Ratusz through the page form ("html") or the REST endpoint ("rest");
# vanilla Plone through a collective.easyform form with its Save Data action ("html") or by
# creating a Document through plone.restapi as its administrator ("rest").
MODES = ("html", "rest")
REST_SUBMIT = f"/{SITE_ID}/++api++{FORM_PATH[len(SITE_ID) + 1 :]}/@eservice-submit"
VANILLA_FORM = f"/{SITE_ID}/formularz-benchmark"
VANILLA_FOLDER = f"/{SITE_ID}/wnioski"
VANILLA_FIELDS = """<model xmlns="http://namespaces.plone.org/supermodel/schema"
       xmlns:easyform="http://namespaces.plone.org/supermodel/easyform">
  <schema>
    <field name="applicant_name" type="zope.schema.TextLine"><title>Imię i nazwisko</title></field>
    <field name="applicant_email" type="zope.schema.TextLine"
           easyform:validators="isValidEmail"><title>Adres e-mail</title></field>
    <field name="applicant_address" type="zope.schema.Text">
      <title>Adres do korespondencji</title></field>
    <field name="attachment" type="plone.namedfile.field.NamedBlobFile">
      <title>Załącznik</title><required>False</required></field>
  </schema>
</model>"""
VANILLA_ACTIONS = """<model xmlns="http://namespaces.plone.org/supermodel/schema">
  <schema>
    <field name="saved" type="collective.easyform.actions.SaveData"><title>Dane</title></field>
  </schema>
</model>"""


def applicant(client, number):
    first = FIRST_NAMES[(client + number) % len(FIRST_NAMES)]
    last = LAST_NAMES[(client * 3 + number) % len(LAST_NAMES)]
    street = STREETS[number % len(STREETS)]
    return {
        "applicant_name": f"{first} {last}",
        "applicant_email": f"wnioskodawca-{client}-{number}@przykladowo.example",
        "applicant_address": f"ul. {street} {number % 120 + 1}\n00-001 Przykładowo",
    }


class Filing:
    """How one client files: ``prepare`` once (its session), then ``file`` each submission,
    which returns (status, sign or other proof, incoming number or None, bytes, error)."""

    def __init__(self, kind, mode, variant, png, password=None):
        self.kind, self.mode, self.variant, self.png = kind, mode, variant, png
        self.auth = ("admin", password) if password else None
        self.form = None

    def prepare(self, session, base):
        if self.mode != "html":
            return
        path = FORM_PATH if self.kind == "ratusz" else VANILLA_FORM
        page = session.get(base + path, timeout=60)
        if page.status_code != 200:
            raise BenchError(f"GET {path} answered {page.status_code}")
        self.form = read_form(page.text)
        if self.kind == "ratusz":
            check_form(self.form)

    def file(self, session, base, client, number):
        import requests

        try:
            if self.mode == "html":
                return self._html(session, base, client, number)
            if self.kind == "ratusz":
                return self._rest(session, base, client, number)
            return self._document(session, base, client, number)
        except requests.RequestException as error:
            return None, None, None, 0, str(error)

    def _html(self, session, base, client, number):
        data, files = post_fields(self.form, client, number, self.variant, self.png)
        # The action is absolute (http://localhost:port/...): post to 127.0.0.1 with Host.
        action = "/" + self.form["action"].split("://", 1)[-1].split("/", 1)[-1]
        response = session.post(base + action, data=data, files=files, timeout=300)
        status, text = response.status_code, response.text
        if self.kind == "ratusz":
            sign = SIGN_RE.search(text) if status == 200 else None
            proof = sign.group(1) if sign else None
            item = NUMBER_RE.search(text) if sign else None
            item = item.group(1) if item else None
        else:  # easyform's thank-you page lists what was sent
            email = applicant(client, number)["applicant_email"]
            proof = email if status == 200 and email in text else None
            item = None
        error = None
        if not proof:
            match = re.search(
                r'class="[^"]*(?:portalMessage|invalid-feedback)[^"]*"[^>]*>(.{0,300})',
                text,
                re.S,
            )
            error = re.sub(r"<[^>]+>|\s+", " ", match.group(1)).strip() if match else text[:200]
        return status, proof, item, len(text), error

    def _rest(self, session, base, client, number):
        data = applicant(client, number)
        if self.variant == "png":
            data["attachment"] = {
                "filename": f"skan-{client}-{number}.png",
                "content-type": "image/png",
                "encoding": "base64",
                "data": base64.b64encode(self.png).decode("ascii"),
            }
        response = session.post(
            base + REST_SUBMIT,
            json={"data": data, "acknowledged": True},
            headers={"Accept": "application/json"},
            timeout=300,
        )
        if response.status_code != 201:
            return response.status_code, None, None, len(response.content), response.text[:200]
        receipt = response.json()
        return 201, receipt.get("sign"), receipt.get("number"), len(response.content), None

    def _document(self, session, base, client, number):
        person = applicant(client, number)
        response = session.post(
            base + VANILLA_FOLDER,
            json={
                "@type": "Document",
                "title": f"Wniosek: {person['applicant_name']}",
                "description": f"{person['applicant_email']}, {person['applicant_address']}",
            },
            headers={"Accept": "application/json"},
            auth=self.auth,
            timeout=300,
        )
        if response.status_code != 201:
            return response.status_code, None, None, len(response.content), response.text[:200]
        return 201, response.json().get("@id"), None, len(response.content), None


def submit_round(
    port, variant, clients, seconds, count=None, kind="ratusz", mode="html", password=None
):
    """``clients`` threads, each with its own session, file for ``seconds`` (or ``count``
    times each): Ratusz's form page or REST endpoint, or vanilla's counterparts."""
    import requests

    base = f"http://{run.HOST}:{port}"
    headers = dict(run.REQUEST_HEADERS, Host=run.host_header(port))
    png = minimal_png()
    results, filings = [], []
    lock = threading.Lock()
    barrier = threading.Barrier(clients)
    deadline = []
    failures = []

    def worker(client):
        session = requests.Session()
        session.headers.update(headers)
        filing = Filing(kind, mode, variant, png, password)
        try:
            filing.prepare(session, base)
            filings.append(filing)
        except Exception as error:  # reported after the barrier
            failures.append(f"client {client}: {error}")
            filing = None
        barrier.wait()
        if filing is None:
            return
        with lock:
            if not deadline:
                deadline.append(time.monotonic() + seconds)
        number = 0
        while number < count if count else time.monotonic() < deadline[0]:
            start = time.monotonic()
            status, proof, item, size, error = filing.file(session, base, client, number)
            end = time.monotonic()
            with lock:
                results.append(
                    {
                        "start": start,
                        "end": end,
                        "status": status,
                        "sign": proof,
                        "item": item,
                        "bytes": size,
                        "error": error,
                    }
                )
            number += 1

    threads = [threading.Thread(target=worker, args=(c,), daemon=True) for c in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 900)
    if any(thread.is_alive() for thread in threads):
        raise BenchError(f"{kind} {mode} {variant}: a submitting client did not finish")
    if failures:
        raise BenchError("getting the form failed: " + "; ".join(failures[:3]))
    ok = [r for r in results if r["sign"]]
    first = min(r["start"] for r in results)
    last = max(r["end"] for r in results)
    in_window = [r for r in ok if r["end"] <= deadline[0]]
    latencies = [(r["end"] - r["start"]) * 1000 for r in ok] or [0]
    errors = {}
    for r in results:
        if not r["sign"]:
            key = f"{r['status']}: {(r['error'] or '')[:80]}"
            errors[key] = errors.get(key, 0) + 1
    mine = kind == "ratusz"
    return {
        "kind": kind,
        "mode": mode,
        "variant": variant,
        "submitted": len(results),
        "receipts": len(ok),
        "receipts_in_window": len(in_window),
        "failed": len(results) - len(ok),
        "errors": errors,
        "window_seconds": seconds,
        "per_second": round(len(in_window) / seconds, 2) if seconds else None,
        "seconds_with_drain": round(last - first, 2),
        "per_second_with_drain": round(len(ok) / (last - first), 2),
        "p50_ms": round(bip.percentile(latencies, 50), 1),
        "p90_ms": round(bip.percentile(latencies, 90), 1),
        "p99_ms": round(bip.percentile(latencies, 99), 1),
        "max_ms": round(max(latencies), 1),
        "response_kib": round(statistics.median(r["bytes"] for r in ok) / 1024, 1) if ok else 0,
        "has_authenticator": all(
            "_authenticator" in dict(f.form["hidden"]) for f in filings if f.form
        ),
        "signs": [r["sign"] for r in ok] if mine else [],
        "items": [r["item"] for r in ok] if mine else [],
    }


CONFLICT_RE = re.compile(
    r"ConflictError at (\S+): (?:database conflict error \((oid 0x[0-9a-f]+), class ([\w.]+)|"
    r"(.+?)\. Request will be retried)"
)


def log_size(log_path):
    try:
        return Path(log_path).stat().st_size
    except OSError:
        return 0


def log_since(log_path, offset):
    with open(log_path, "rb") as log:
        log.seek(offset)
        return log.read().decode("utf-8", "replace")


def conflicts_in(text):
    """``{what: count}`` of the conflict retries logged in ``text`` (oid and class, or why)."""
    found = {}
    for _path, oid, klass, reason in CONFLICT_RE.findall(text):
        key = f"{oid} {klass}" if oid else reason
        found[key] = found.get(key, 0) + 1
    return found


def measure_submissions(servers, args, password):
    """Ratusz's page form and REST endpoint, each beside its vanilla counterpart, alternated."""
    offsets = {kind: log_size(servers[kind][2]) for kind in ("ratusz", "vanilla")}
    sides = [(kind, mode) for mode in MODES for kind in ("ratusz", "vanilla")]

    def one_round(kind, mode, variant, clients, seconds, count=None):
        proc, port, log_path = servers[kind]
        if proc.poll() is not None:
            raise BenchError(f"the {kind} server died; see {log_path}")
        before = log_size(log_path)
        load = os.getloadavg()[0]
        result = submit_round(
            port,
            variant,
            clients,
            seconds,
            count,
            kind=kind,
            mode=mode,
            password=password if (kind, mode) == ("vanilla", "rest") else None,
        )
        time.sleep(1)  # the log is written by the server
        result["conflicts"] = conflicts_in(log_since(log_path, before))
        result["conflict_retries"] = sum(result["conflicts"].values())
        result["load_before"] = round(load, 2)
        return result

    # One submission of each variant alone first: the form's and the thank-you page's
    # templates are compiled by one thread, not by eight at once (see docs/benchmarks.md).
    warmup = []
    for kind, mode in sides:
        for variant in VARIANTS:
            result = one_round(kind, mode, variant, 1, 0, count=1)
            if result["receipts"] != 1:
                raise BenchError(f"the warm-up {kind} {mode} {variant} failed: {result['errors']}")
            warmup.append(result)
    baselines = []
    if args.baseline_seconds:
        # One client alone: what a submission costs without anyone to wait for.
        for kind, mode in sides:
            result = one_round(kind, mode, "text", 1, args.baseline_seconds)
            baselines.append(result)
            print(f"  alone  {describe(result)}", flush=True)
    rounds = []
    for mode in MODES:
        for number in range(args.submit_rounds * len(VARIANTS)):
            variant = VARIANTS[number % len(VARIANTS)]
            # R, V then V, R: each side as often first as second
            order = ["ratusz", "vanilla"] if number % 2 == 0 else ["vanilla", "ratusz"]
            for kind in order:
                result = one_round(kind, mode, variant, args.clients, args.submit_seconds)
                rounds.append(result)
                print(f"  {args.clients:>2} cl. {describe(result)}", flush=True)
                time.sleep(2)
    log = {}
    for kind, offset in offsets.items():
        text = log_since(servers[kind][2], offset)
        log[kind] = {
            "lines": text.count("\n"),
            "fonttools_lines": text.count("[fontTools."),
            "errors": len(re.findall(r"^\S+ \S+ ERROR", text, re.M)),
            "error_sample": next(iter(re.findall(r"^\S+ \S+ ERROR .*$", text, re.M)), None),
        }
    return {"warmup": warmup, "baselines": baselines, "rounds": rounds, "log": log}


def describe(result):
    """One line of a round, as printed while measuring."""
    what = (
        "document" if (result["kind"], result["mode"]) == ("vanilla", "rest") else result["variant"]
    )
    window = result["window_seconds"]
    return (
        f"{result['kind']:<7} {result['mode']:<4} {what:<8} {result['receipts_in_window']:>4} in "
        f"{window} s = {result['per_second']:5.1f}/s ({result['receipts']} in "
        f"{result['seconds_with_drain']:.1f} s with the drain), p50 {result['p50_ms']:.0f} ms, "
        f"p90 {result['p90_ms']:.0f} ms, max {result['max_ms']:.0f} ms, conflict retries "
        f"{result['conflict_retries']}, failed {result['failed']} {result['errors'] or ''}"
    )


def best_of(rounds, kind, mode):
    return max(
        (r["per_second"] for r in rounds if (r["kind"], r["mode"]) == (kind, mode)), default=0.0
    )


def verify_child(var_dir, answered_file):
    """Open the run's database in-process: what the submissions made; JSON on stdout."""
    from AccessControl.SecurityManagement import newSecurityManager
    from plone import api
    from ZODB.utils import p64
    from zope.component.hooks import setSite
    from Zope2.Startup.run import make_wsgi_app

    from ratusz.cases.structure import CASES_ID
    from ratusz.cases.structure import INCOMING_ID
    from ratusz.cases.structure import INTRANET_ID

    answered = json.loads(Path(answered_file).read_text(encoding="utf-8"))
    make_wsgi_app({}, str(Path(var_dir) / "etc" / "zope.conf"))
    import Zope2

    app = Zope2.app()
    portal = app[SITE_ID]
    setSite(portal)
    newSecurityManager(None, app.acl_users.getUserById("admin").__of__(app.acl_users))
    intranet = portal[INTRANET_ID]
    year = datetime.date.today().year
    series = f"{HANDLING['department']}.{HANDLING['jrwa']}."
    # The objects themselves, not only the catalog.
    eservice_cases = [
        case for case in intranet[CASES_ID].objectValues() if getattr(case, "eservice", None)
    ]
    items = [
        item
        for item in intranet[INCOMING_ID].objectValues()
        if getattr(item, "channel", None) == "eservice"
    ]
    case_signs = [case.sign for case in eservice_cases]
    item_numbers = [item.number for item in items]
    linked = {case.eservice.get("item") for case in eservice_cases}
    catalog = api.portal.get_tool("portal_catalog")
    in_series = []
    for brain in catalog.unrestrictedSearchResults(portal_type="Case"):
        sign = getattr(brain._unrestrictedGetObject(), "sign", "") or ""
        if sign.startswith(series) and sign.endswith(f".{year}"):
            in_series.append(int(sign.split(".")[2]))
    in_series.sort()
    indexed = catalog.unrestrictedSearchResults(
        portal_type="Case", UID=[case.UID() for case in eservice_cases]
    )
    named = {}
    for oid in set(answered.get("oids", ())):
        obj = app._p_jar.get(p64(int(oid, 16)))
        if hasattr(obj, "getPhysicalPath"):  # loaded by oid: without its parents
            found = catalog.unrestrictedSearchResults(UID=api.content.get_uuid(obj))
            where = found[0].getPath() if found else "/".join(obj.getPhysicalPath())
            named[oid] = f"{where} ({obj.portal_type})"
        else:
            named[oid] = type(obj).__name__
    result = {
        "receipts": len(answered["signs"]),
        "receipt_signs_distinct": len(set(answered["signs"])),
        "receipt_items_distinct": len(set(answered["items"])),
        "cases_made": len(eservice_cases),
        "items_made": len(items),
        "case_signs_distinct": len(set(case_signs)),
        "item_numbers_distinct": len(set(item_numbers)),
        "receipts_in_database": len(set(answered["signs"]) & set(case_signs)),
        "items_in_database": len(set(answered["items"]) & set(item_numbers)),
        "cases_linked_to_items": len(linked & set(item_numbers)),
        "documents_in_cases": sum(len(case.objectIds()) for case in eservice_cases),
        "catalog_cases_indexed": len(indexed) if eservice_cases else 0,
        "series": f"{series}*.{year}",
        "series_count": len(in_series),
        "series_first": in_series[0] if in_series else None,
        "series_last": in_series[-1] if in_series else None,
        "series_gapless": in_series == list(range(1, len(in_series) + 1)),
        "conflict_objects": named,
    }
    receipts = result["receipts"]
    result["ok"] = (
        result["cases_made"] == result["items_made"] == receipts
        and receipts == result["receipt_signs_distinct"] == result["receipts_in_database"]
        and receipts == result["receipt_items_distinct"] == result["items_in_database"]
        and result["case_signs_distinct"] == result["cases_made"]
        and result["item_numbers_distinct"] == result["items_made"]
        and result["cases_linked_to_items"] == result["cases_made"]
        and result["catalog_cases_indexed"] == result["cases_made"]
        and result["series_gapless"]
    )
    app._p_jar.close()
    print(json.dumps(result))


# The parts of a submission timed by --profile (CPU ms per submission; nested entries
# overlap their callers: the PDFs are inside the action and the page).
PROFILED = VARIANTS + ("rest-text", "rest-png")
SUBMISSION_PARTS = [
    "ratusz.eservices.rest:EServiceSubmitPost.reply",
    "ratusz.eservices.deserializer:submitted_fields",
    "ratusz.eservices.deserializer:form_view",
    "ratusz.eservices.receipt:hash_key",
    "ratusz.eservices.submission:register_submission",
    "ratusz.eservices.submission:_register_item",
    "ratusz.eservices.submission:_open_case",
    "ratusz.eservices.submission:_add_documents",
    "ratusz.cases.registers:as_pdf",
    "ratusz.eservices.receipt_pdf:receipt_pdf",
    "fpdf.fpdf:FPDF.add_font",
    "fpdf.fpdf:FPDF.output",
    "ratusz.cases.organisation:departments",
    "Products.ZCatalog.Catalog:Catalog.catalogObject",
    "ratusz.eservices.mails:send_receipt",
    "plone.z3cform.layout:FormWrapper.update",
    "plone.z3cform.layout:FormWrapper.render",
    "plone.app.theming.transform:ThemeTransform.transformIterable",
    "transaction._transaction:Transaction.commit",
]


def _time_parts(parts, spent, clock):
    """Wrap each ``module:attr`` (or ``module:Class.attr``) to add its CPU time to ``spent``;
    module-level functions are also replaced where other modules imported them by name."""
    import importlib

    for part in parts:
        module_name, _, attribute = part.partition(":")
        try:
            owner = importlib.import_module(module_name)
            *outer, name = attribute.split(".")
            for step in outer:
                owner = getattr(owner, step)
            original = owner.__dict__[name] if outer else getattr(owner, name)
        except (ImportError, AttributeError, KeyError):
            continue  # not (or no longer) there

        def wrapper(*args, _original=original, _key=part, **kwargs):
            start = clock()
            try:
                return _original(*args, **kwargs)
            finally:
                spent[_key] = spent.get(_key, 0.0) + clock() - start

        setattr(owner, name, wrapper)
        if not outer:
            for module in list(sys.modules.values()):
                namespace = getattr(module, "__dict__", None) or {}
                for key, value in list(namespace.items()):
                    if value is original:
                        setattr(module, key, wrapper)


def profile_submissions_child(var_dir, out_dir, requests):
    """Submissions published in-process, one at a time; JSON on stdout.

    Through the WSGI application as a server thread runs them (no HTTP): the form
    page once for its token, then the multipart POSTs. For each variant: CPU time
    per submission (``time.thread_time``) and of its SUBMISSION_PARTS, then a
    cProfile of ``requests`` more (``profile-submission-<variant>.txt`` in out_dir).
    """
    import cProfile
    import io
    import pstats

    from urllib3.filepost import encode_multipart_formdata
    from Zope2.Startup.run import make_wsgi_app

    app = make_wsgi_app({}, str(Path(var_dir) / "etc" / "zope.conf"))
    spent = {}
    clock = time.thread_time

    def publish(method, path, body=b"", content_type=None):
        path, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": run.VIRTUAL_HOST,
            "SERVER_PORT": "8080",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": f"{run.VIRTUAL_HOST}:8080",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
            "wsgi.version": (1, 0),
        }
        if content_type:
            environ.update(CONTENT_TYPE=content_type, CONTENT_LENGTH=str(len(body)))
        for header, value in run.REQUEST_HEADERS.items():
            environ["HTTP_" + header.upper().replace("-", "_")] = value
        status = []
        text = b"".join(app(environ, lambda s, h, e=None: status.append(s))).decode("utf-8")
        if not status[0].startswith(("200", "201")):
            raise SystemExit(f"{method} {path} answered {status[0]}: {text[:300]}")
        return text

    form = read_form(publish("GET", FORM_PATH))
    check_form(form)
    action = "/" + form["action"].split("://", 1)[-1].split("/", 1)[-1]
    png = minimal_png()
    counter = [0]

    def submit(variant):
        counter[0] += 1
        if variant.startswith("rest-"):  # the REST endpoint, JSON
            data = applicant(99, counter[0])
            if variant == "rest-png":
                data["attachment"] = {
                    "filename": "skan.png",
                    "content-type": "image/png",
                    "encoding": "base64",
                    "data": base64.b64encode(png).decode("ascii"),
                }
            body = json.dumps({"data": data, "acknowledged": True}).encode("utf-8")
            text = publish("POST", REST_SUBMIT, body, "application/json")
        else:
            data, files = post_fields(form, 99, counter[0], variant, png)
            body, content_type = encode_multipart_formdata(data + list(files.items()))
            text = publish("POST", action, body, content_type)
        if not SIGN_RE.search(text):
            raise SystemExit(f"no receipt in the answer: {text[:500]}")

    for variant in PROFILED:  # warm up: templates compiled, caches filled
        for _ in range(3):
            submit(variant)
    # From the first number taken (the incoming register's) to the end of the request
    # the numbering's lock is held: other submissions of this process wait for it.
    import ratusz.cases.numbering as numbering

    first_number = []
    take_number = numbering.next_number

    def next_number(*args, **kwargs):
        if not first_number:
            first_number.append(clock())
        return take_number(*args, **kwargs)

    numbering.next_number = next_number
    _time_parts(SUBMISSION_PARTS, spent, clock)
    results = {}
    for variant in PROFILED:
        spent.clear()
        totals, locked = [], []
        for _ in range(requests):
            first_number.clear()
            start = clock()
            submit(variant)
            end = clock()
            totals.append(end - start)
            locked.append(end - first_number[0])
        items = {key: round(value / requests * 1000, 1) for key, value in spent.items()}
        items["TOTAL (median submission)"] = round(statistics.median(totals) * 1000, 1)
        items["numbering lock held (median)"] = round(statistics.median(locked) * 1000, 1)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(requests):
            submit(variant)
        profiler.disable()
        text = io.StringIO()
        stats = pstats.Stats(profiler, stream=text)
        stats.sort_stats("cumulative").print_stats(60)
        stats.sort_stats("tottime").print_stats(30)
        out_file = Path(out_dir) / f"profile-submission-{variant}.txt"
        out_file.write_text(text.getvalue(), encoding="utf-8")
        results[variant] = {"parts": items, "file": str(out_file)}
        print(f"{variant}: {items}", file=sys.stderr)
    json.dump(results, sys.stdout)


def mail_queue_count(var_dir):
    """Receipt mails waiting in the run's mail queue (a maildir; hidden names are attempts)."""
    queue = Path(var_dir) / "mailqueue"
    counts = {}
    for sub in ("new", "cur"):
        folder = queue / sub
        names = [p.name for p in folder.iterdir()] if folder.exists() else []
        counts[sub] = len([n for n in names if not n.startswith(".")])
        counts[f"{sub}_marked"] = len([n for n in names if n.startswith(".")])
    return counts


# -- main --------------------------------------------------------------------


def bench(args):
    started = time.monotonic()
    python = Path(sys.executable)
    instance = python.parent / "ratusz-instance"
    if not instance.exists():
        raise BenchError(f"{instance} not found: run this with the project venv's python")
    do_catalogue = not args.only or "catalogue" in args.only
    do_submissions = not args.only or "submissions" in args.only
    wrk = shutil.which("wrk")
    if do_catalogue and not wrk:
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
            "waitress_threads": args.threads,
            "wrk": f"wrk -t{args.wrk_threads} -c{args.connections} -d{args.duration}s "
            f"--timeout={args.wrk_timeout}s --latency -s benchmarks/count_status.lua",
            "rounds": args.rounds,
            "warmup": args.warmup,
            "cards": args.cards,
            "clients": args.clients,
            "submit_seconds": args.submit_seconds,
            "submit_rounds": args.submit_rounds,
        },
    }
    if do_catalogue:
        print("\nCatalogue (wrk, anonymous) ...", flush=True)
        info["loadavg_catalogue"] = os.getloadavg()
        report["catalogue"] = measure_catalogue(servers, wrk, args)
    if do_submissions:
        print(
            f"\nSubmissions: {args.clients} clients, {args.submit_seconds} s per round ...",
            flush=True,
        )
        info["loadavg_submissions"] = os.getloadavg()
        report["submissions"] = measure_submissions(servers, args, password)
    info["loadavg_end"] = os.getloadavg()
    run.stop_all()

    try:  # a failure here must not lose the measurements above
        if do_submissions:
            print("\nChecking the database ...", flush=True)
            answered = {"signs": [], "items": [], "oids": []}
            submissions = report["submissions"]
            made = submissions["warmup"] + submissions["baselines"] + submissions["rounds"]
            for result in [r for r in made if r["kind"] == "ratusz"]:
                answered["signs"] += result.pop("signs")
                answered["items"] += result.pop("items")
                answered["oids"] += [
                    key.split()[1] for key in result.get("conflicts", {}) if key.startswith("oid ")
                ]
            answered_file = var_root / "answered.json"
            answered_file.write_text(json.dumps(answered), encoding="utf-8")
            report["verify"] = run_child("--child-verify", run_root / "ratusz", answered_file)
            report["verify"]["mail_queue"] = mail_queue_count(run_root / "ratusz")
        if args.profile and do_submissions:
            print("\nProfiling submissions in-process (servers stopped) ...", flush=True)
            report["profile_submissions"] = run_child(
                "--child-profile-submissions",
                run_root / "ratusz",
                var_root,
                args.profile_submissions,
            )
        if args.profile and do_catalogue:
            print("\nProfiling the catalogue pages in-process (servers stopped) ...", flush=True)
            # profile_pages.py's child publishes paths without a query string: the
            # vanilla folders as they come (20 rows a page).
            pages = {
                "ratusz": [CATALOGUE],
                "ratusz200": [CATALOGUE],
                "vanilla": [f"/{SITE_ID}/{f}" for f in vanilla_folders(args.cards).values()],
            }
            report["profile"] = bip.profile(run_root, pages, args)
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


def run_child(flag, var_dir, *extra, timeout=1800):
    """This script in a child process (Zope loads once per process); its last line as JSON."""
    argv = [sys.executable, __file__, flag, str(var_dir), *map(str, extra)]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise BenchError(f"{flag} failed:\n" + "\n".join(done.stderr.splitlines()[-25:]))
    return json.loads(done.stdout.strip().splitlines()[-1])


def print_report(report, args):
    info = report["machine"]
    print()
    for kind, result in report["build"].items():
        how = "reused" if result.get("reused") else f"built in {result.get('seconds', 0):.0f} s"
        what = result.get("documents") or (
            f"{result.get('cards')} cards ({result.get('forms')} forms), rate limit "
            f"{result.get('rate_limit')}/h, mail from {result.get('email_from_address')!r} "
            f"via {result.get('smtp')}, series starts after {result.get('series_start')}"
        )
        print(f"{kind}: {how}: {what}")
    if "catalogue" in report:
        print(
            f"\nCatalogue, wrk -t{args.wrk_threads} -c{args.connections} -d{args.duration}s, "
            f"{args.rounds} runs per side (best run; (med) = ratio of the medians):"
        )
        header = (
            f"{'page':<16}{'Ratusz r/s':>11}{'vanilla r/s':>12}{'ratio':>7}{'(med)':>7}"
            f"{'p50 R':>8}{'p50 V':>8}{'p99 R':>8}{'p99 V':>8}  note"
        )
        print(header)
        print("-" * len(header))
        for entry in report["catalogue"]["wrk"]:
            r, v = entry["R"]["best"], entry["V"]["best"]
            note = "met" if entry["ratio"] >= CATALOGUE_GOAL else f"BELOW {CATALOGUE_GOAL}x"
            if entry["name"].endswith("-rows"):  # not the same rows: no target
                note = "context (vanilla lists 20 rows)"
            if entry["problems"]:
                note += "; " + "; ".join(entry["problems"])
            print(
                f"{entry['name']:<16}{r['rps']:>11.1f}{v['rps']:>12.1f}{entry['ratio']:>7.2f}"
                f"{entry['ratio_median']:>7.2f}{r.get('p50_ms', 0):>8.1f}"
                f"{v.get('p50_ms', 0):>8.1f}{r.get('p99_ms', 0):>8.1f}{v.get('p99_ms', 0):>8.1f}"
                f"  {note}"
            )
        for entry in report["catalogue"]["wrk"]:
            print(f"  {entry['name']}: R {entry['R']['url']}  V {entry['V']['url']}")
    if "submissions" in report:
        print(
            f"\nSubmissions, {args.clients} concurrent clients, {args.submit_seconds} s per "
            f"round, {args.threads} waitress threads (Ratusz: page form / REST endpoint; "
            "vanilla: easyform form with Save Data / REST Document):"
        )
        submissions = report["submissions"]
        for result in submissions["baselines"]:
            print(f"  alone  {describe(result)}")
        rounds = submissions["rounds"]
        for result in rounds:
            print(f"  {args.clients:>2} cl. {describe(result)}")
        for mode in MODES:
            mine, theirs = best_of(rounds, "ratusz", mode), best_of(rounds, "vanilla", mode)
            verdict = "met" if mine >= SUBMIT_GOAL else "MISSED"
            ratio = f"{mine / theirs:.2f}x" if theirs else "-"
            print(
                f"  best {mode}: Ratusz {mine:.1f}/s, vanilla {theirs:.1f}/s ({ratio}); "
                f"target >= {SUBMIT_GOAL:.0f}/s {verdict}"
            )
        named = report.get("verify", {}).get("conflict_objects", {})
        for kind in ("ratusz", "vanilla"):
            conflicts = {}
            for result in [r for r in rounds if r["kind"] == kind]:
                for key, count in result["conflicts"].items():
                    conflicts[key] = conflicts.get(key, 0) + count
            print(
                f"  {kind} conflict retries: {sum(conflicts.values())} for "
                f"{sum(r['receipts'] for r in rounds if r['kind'] == kind)} submissions:"
            )
            for key, count in sorted(conflicts.items(), key=lambda kv: -kv[1]):
                oid = key.split()[1] if key.startswith("oid ") and kind == "ratusz" else None
                print(f"    {count:5d}  {key}  {named.get(oid, '')}")
        print(f"  server logs during the submissions: {submissions['log']}")
    if "verify" in report:
        verify = {k: v for k, v in report["verify"].items() if k != "conflict_objects"}
        print(f"  database: {json.dumps(verify)}")
    if "profile" in report:
        for kind, per_path in report["profile"].items():
            for path, items in per_path.items():
                total = items.get("TOTAL (median request)", 0)
                print(f"\nCPU ms per request of {kind} {path} (the page: {total:.1f} ms):")
                for key, value in sorted(items.items(), key=lambda kv: -kv[1])[:25]:
                    if not key.startswith("TOTAL"):
                        print(f"  {key[:70]:<70}{value:8.2f}")
    if "profile_submissions" in report:
        print("\nSubmissions in-process, one at a time (CPU ms per submission, unprofiled):")
        rows = report["profile_submissions"]
        keys = sorted(
            {key for row in rows.values() for key in row["parts"]},
            key=lambda key: -max(row["parts"].get(key, 0) for row in rows.values()),
        )
        print(f"  {'part':<66}" + "".join(f"{variant:>9}" for variant in rows))
        for key in keys:
            cells = "".join(f"{row['parts'].get(key, 0):>9.1f}" for row in rows.values())
            print(f"  {key[:66]:<66}{cells}")
        for variant, row in rows.items():
            print(f"  cProfile of {variant}: {row['file']}")
    if "after_error" in report:
        print(f"\nAfter the measurements: {report['after_error']}")
    loads = {
        key: ", ".join(f"{x:.2f}" for x in info[key])
        for key in ("loadavg_start", "loadavg_catalogue", "loadavg_submissions", "loadavg_end")
        if key in info
    }
    print(f"\n{info['nproc']} CPUs ({info['cpu']}); load averages: {loads}")
    print(
        f"Whole run: {report['seconds']['total']:.0f} s (building/reusing the instances "
        f"{report['seconds']['build']:.0f} s)."
    )


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--var", default=str(HERE / "var" / "eservices"), help="instances' home")
    parser.add_argument("--only", choices=["catalogue", "submissions"], action="append")
    parser.add_argument("--cards", type=int, default=200, help="cards of the big catalogue (200)")
    parser.add_argument("--rebuild", action="store_true", help="rebuild even current instances")
    parser.add_argument("--reuse", action="store_true", help="reuse complete instances, even stale")
    parser.add_argument("--threads", type=int, default=4, help="waitress threads per server (4)")
    parser.add_argument("--duration", type=int, default=15, help="seconds per wrk run (15)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (8)")
    parser.add_argument("--wrk-threads", type=int, default=2, help="wrk threads (2)")
    parser.add_argument("--wrk-timeout", type=int, default=10, help="wrk request timeout, s")
    parser.add_argument("--rounds", type=int, default=3, help="wrk runs per page and side (3)")
    parser.add_argument("--warmup", type=int, default=30, help="warm-up GETs per page (30)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent submitting clients")
    parser.add_argument("--submit-seconds", type=int, default=30, help="seconds per round (30)")
    parser.add_argument(
        "--submit-rounds", type=int, default=1, help="rounds of each variant, text and png (1)"
    )
    parser.add_argument(
        "--baseline-seconds", type=int, default=20, help="one client alone first, s (20; 0: no)"
    )
    parser.add_argument("--profile", action="store_true", help="CPU time per viewlet afterwards")
    parser.add_argument("--profile-requests", type=int, default=100)
    parser.add_argument("--profile-repeat", type=int, default=3)
    parser.add_argument(
        "--profile-submissions", type=int, default=10, help="profiled submissions per variant"
    )
    parser.add_argument("--json", metavar="FILE", help="write the results as JSON to FILE")
    parser.add_argument("--start-timeout", type=int, default=300, help="server start limit, s")
    parser.add_argument("--build-timeout", type=int, default=3600, help="build limit, s")
    parser.add_argument("--child-build", nargs=2, metavar=("KIND", "VAR"), help=argparse.SUPPRESS)
    parser.add_argument("--child-verify", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--child-profile-submissions", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.rebuild and args.reuse:
        parser.error("--rebuild and --reuse exclude each other")
    for name in ("threads", "duration", "connections", "wrk_threads", "rounds", "clients"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    if args.cards <= small_count():
        parser.error(f"--cards must be more than the {small_count()} of the demo catalogue")
    return args


def main(argv=None):
    args = parse_args(argv)
    if args.child_build:
        build_child(args.child_build[0], args.child_build[1], args)
        return 0
    if args.child_verify:
        verify_child(*args.child_verify)
        return 0
    if args.child_profile_submissions:
        var_dir, out_dir, requests = args.child_profile_submissions
        profile_submissions_child(var_dir, out_dir, int(requests))
        return 0
    return run.run_guarded("benchmarks/eservices.py", bench, args)


if __name__ == "__main__":
    sys.exit(main())
