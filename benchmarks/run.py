"""Anonymous throughput of Ratusz against a plain Plone 6.2 Classic UI site.

Usage (from the repository root; ``make bench`` runs the first line)::

    .venv/bin/python benchmarks/run.py
    .venv/bin/python benchmarks/run.py --duration 30 --connections 8 --json bench.json

What it does, see docs/benchmarks.md for the why:

1. creates two fresh instances under ``benchmarks/var/`` with ``ratusz-instance``
   (found next to ``--python``, by default the interpreter running this script):
   ``ratusz`` (distribution "ratusz" with its demo content) and ``vanilla``
   (distribution "classic" without example content, Ratusz's ZCML not loaded);
2. starts both servers on free ports of 127.0.0.1, same waitress thread count,
   and through plone.restapi adds the same published Document to each
   (``/Plone/pl/bench-page`` and ``/Plone/bench-page``), installs plone.restapi
   in the vanilla site and gives its root Ratusz's Polish welcome text;
3. checks that every URL answers 200 to an anonymous GET (HTML themed), warms it up, then
   measures it with ``wrk --latency``, one server at a time, alternating the
   servers (R,V then V,R ...) for every URL pair;
4. prints a table (best run of each side, ratio Ratusz/vanilla, latencies),
   flags ratios below the goal (0.9) and optionally writes ``--json``.

The exit status is 0 when everything ran, even if Ratusz is under the goal;
1 when something failed to run, 130 on Ctrl+C. Both servers are always stopped.
Only 127.0.0.1 is ever contacted.
"""

import argparse
import base64
import datetime
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
HOST = "127.0.0.1"
SITE_ID = "Plone"
GOAL = 0.9
LUA_SCRIPT = HERE / "count_status.lua"
# Both sites get the same request headers; a resident's browser asks for Polish.
REQUEST_HEADERS = {"Accept-Language": "pl-PL,pl;q=0.9,en;q=0.5", "User-Agent": "ratusz-bench"}
# The connection always goes to 127.0.0.1, but the Host header says "localhost":
# plone.app.theming never themes the host names of its hostnameBlacklist, which
# is ["127.0.0.1"] by default, so with Host 127.0.0.1 neither site would run its
# Diazo theme and the benchmark would skip the theme transform altogether.
VIRTUAL_HOST = "localhost"
# Marker of the applied theme in each site's HTML (the theme's CSS link).
THEME_MARKERS = {"ratusz": "++theme++ratusz/", "vanilla": "++theme++barceloneta/"}


def host_header(port):
    return f"{VIRTUAL_HOST}:{port}"


SITES = {
    # name -> (create-site/serve options, container path of the bench page)
    "ratusz": ([], f"/{SITE_ID}/pl"),
    # --no-demo: the classic distribution's example content cannot be imported by
    # `ratusz-instance create-site` (no global request); the home page gets the
    # Ratusz welcome text instead, see copy_home_text().
    "vanilla": (["--vanilla", "--no-demo"], f"/{SITE_ID}"),
}

# (pair name, Ratusz path, vanilla path, what the pair compares)
URL_PAIRS = [
    (
        "home",
        f"/{SITE_ID}/pl",
        f"/{SITE_ID}",
        "home page, same welcome text: Ratusz's Polish root /pl (LRF whose default page is "
        "'witamy', document_view) vs. Plone's site root (document_view of the root)",
    ),
    (
        "document",
        f"/{SITE_ID}/pl/bench-page",
        f"/{SITE_ID}/bench-page",
        "the same published Document (~2 kB of HTML), full HTML page",
    ),
    (
        "api-document",
        f"/{SITE_ID}/++api++/pl/bench-page",
        f"/{SITE_ID}/++api++/bench-page",
        "the same Document as JSON through plone.restapi's ++api++",
    ),
]

HOME_SOURCE = f"/{SITE_ID}/pl/witamy"  # demo home page (ratusz.demo), default page of /pl
BENCH_TITLE = "Godziny pracy urzędu i kontakt"
BENCH_DESCRIPTION = "Kiedy i jak załatwić sprawę w urzędzie: godziny, telefony, adresy."
BENCH_TEXT = """\
<h2>Godziny pracy</h2>
<p>Urząd Miasta jest czynny od poniedziałku do piątku. W poniedziałki przyjmujemy
interesantów w godzinach 8:00&ndash;17:00, od wtorku do czwartku w godzinach
7:30&ndash;15:30, a w piątki w godzinach 7:30&ndash;14:00. Kasa urzędu zamyka się
pół godziny przed końcem pracy urzędu.</p>
<h2>Jak załatwić sprawę</h2>
<p>Większość spraw można załatwić przez internet, korzystając z profilu zaufanego
albo podpisu kwalifikowanego. Wniosek złożony elektronicznie ma taką samą moc jak
wniosek złożony w Biurze Obsługi Mieszkańców. Status sprawy sprawdzisz w dowolnej
chwili na swoim koncie.</p>
<ul>
  <li>Dowody osobiste i meldunki &ndash; parter, stanowiska 1&ndash;6.</li>
  <li>Rejestracja pojazdów i prawa jazdy &ndash; parter, stanowiska 7&ndash;12.</li>
  <li>Podatki i opłaty lokalne &ndash; pierwsze piętro, pokoje 101&ndash;108.</li>
  <li>Urząd Stanu Cywilnego &ndash; drugie piętro, pokój 201.</li>
</ul>
<h2>Kontakt</h2>
<p>Telefon centrali: <a href="tel:+48221234567">+48 22 123 45 67</a>. Adres
elektronicznej skrzynki podawczej znajdziesz w Biuletynie Informacji Publicznej.
Korespondencję papierową prosimy kierować na adres: Urząd Miasta, ul. Rynek 1,
00-001 Przykładowo.</p>
<p>Osoby z niepełnosprawnościami mogą skorzystać z pomocy tłumacza języka
migowego. Prosimy o zgłoszenie potrzeby co najmniej trzy dni robocze przed wizytą,
telefonicznie, mailowo albo przez formularz kontaktowy. Budynek jest dostępny dla
osób poruszających się na wózkach; przy wejściu od strony parkingu znajduje się
pochylnia, a w holu pętla indukcyjna.</p>
<p><strong>Uwaga:</strong> w dni ustawowo wolne od pracy urząd jest nieczynny.
W Wigilię urząd pracuje do godziny 12:00.</p>
"""


class BenchError(Exception):
    """Something failed to run; printed as a message, exit status 1."""


# -- processes ---------------------------------------------------------------

CHILDREN = []  # every process this script started and may still have to stop


def start_process(argv, log_path, env):
    log = open(log_path, "ab")  # noqa: SIM115 - closed in stop_process
    proc = subprocess.Popen(
        argv, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True
    )
    proc.log = log
    CHILDREN.append(proc)
    return proc


def stop_process(proc, grace=15):
    """SIGINT, then SIGTERM, then SIGKILL, to the process group we created."""
    if proc.poll() is None:
        for sig, wait in ((signal.SIGINT, grace), (signal.SIGTERM, 10), (signal.SIGKILL, 10)):
            try:
                os.killpg(proc.pid, sig)  # our own session: start_new_session=True
            except ProcessLookupError:
                break
            try:
                proc.wait(timeout=wait)
                break
            except subprocess.TimeoutExpired:
                continue
    proc.log.close()
    if proc in CHILDREN:
        CHILDREN.remove(proc)


def stop_all():
    for proc in list(CHILDREN):
        stop_process(proc)


def tail(path, lines=25):
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


# -- HTTP (127.0.0.1 only) ---------------------------------------------------


def request(port, method, path, body=None, auth=None, headers=None, timeout=60):
    """One request to 127.0.0.1:port; no redirects followed. Returns (status, headers, body)."""
    all_headers = dict(REQUEST_HEADERS, Host=host_header(port))
    all_headers.update(headers or {})
    if auth:
        token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
        all_headers["Authorization"] = f"Basic {token}"
    if body is not None:
        body = json.dumps(body).encode("utf-8")
        all_headers["Content-Type"] = "application/json"
        all_headers["Accept"] = "application/json"
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=all_headers)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def wait_until_up(name, proc, port, log_path, timeout):
    deadline = time.monotonic() + timeout
    last_error = "no answer"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise BenchError(
                f"the {name} server exited with status {proc.returncode} while starting; "
                f"last lines of {log_path}:\n{tail(log_path)}"
            )
        try:
            status, _, _ = request(port, "GET", f"/{SITE_ID}", timeout=10)
            if status < 500:
                return
            last_error = f"HTTP {status}"
        except OSError as error:
            last_error = str(error)
        time.sleep(0.5)
    raise BenchError(
        f"the {name} server did not answer on {HOST}:{port} within {timeout} s ({last_error}); "
        f"last lines of {log_path}:\n{tail(log_path)}"
    )


def ensure_bench_page(name, port, container, auth):
    """Create (or keep) the published bench Document in ``container`` via plone.restapi."""
    page = f"{container}/bench-page"
    accept = {"Accept": "application/json"}
    status, _, body = request(port, "GET", page, auth=auth, headers=accept)
    if status == 404:
        data = {
            "@type": "Document",
            "id": "bench-page",
            "title": BENCH_TITLE,
            "description": BENCH_DESCRIPTION,
            "text": {"content-type": "text/html", "encoding": "utf-8", "data": BENCH_TEXT},
        }
        status, _, body = request(port, "POST", container, body=data, auth=auth)
        if status != 201:
            raise BenchError(
                f"{name}: creating {page} through plone.restapi answered {status}: {body[:500]!r}"
            )
        status, _, body = request(port, "GET", page, auth=auth, headers=accept)
    if status != 200:
        raise BenchError(f"{name}: GET {page} (as admin) answered {status}: {body[:300]!r}")
    if json.loads(body).get("review_state") != "published":
        status, _, body = request(port, "POST", f"{page}/@workflow/publish", body={}, auth=auth)
        if status != 200:
            raise BenchError(f"{name}: publishing {page} answered {status}: {body[:500]!r}")


def install_restapi(port, auth):
    """Install plone.restapi in the vanilla site (classic does not, Ratusz does).

    Without its profile, Anonymous lacks "plone.restapi: Use REST API" and every
    anonymous ``++api++`` request answers 401.
    """
    path = f"/{SITE_ID}/@addons/plone.restapi/install"
    status, _, body = request(port, "POST", path, body={}, auth=auth)
    if status not in (200, 204):
        raise BenchError(f"vanilla: POST {path} answered {status}: {body[:500]!r}")


def copy_home_text(ratusz_port, vanilla_port, auth):
    """Give the vanilla site root the description and text of Ratusz's Polish home page.

    Both home pages then render document_view with the same content: Ratusz through
    the default page of /pl, vanilla through the root's own rich text field.
    """
    accept = {"Accept": "application/json"}
    status, _, body = request(ratusz_port, "GET", HOME_SOURCE, auth=auth, headers=accept)
    if status != 200:
        raise BenchError(f"ratusz: GET {HOME_SOURCE} answered {status}; is the demo content there?")
    home = json.loads(body)
    data = {"description": home["description"], "text": home["text"], "layout": "document_view"}
    status, _, body = request(vanilla_port, "PATCH", f"/{SITE_ID}", body=data, auth=auth)
    if status not in (200, 204):
        raise BenchError(f"vanilla: PATCH /{SITE_ID} answered {status}: {body[:500]!r}")
    return home


def check_anonymous(name, port, path, expect):
    """Fail unless an anonymous GET of ``path`` is 200 and contains ``expect``."""
    status, headers, body = request(port, "GET", path)
    if status != 200:
        where = headers.get("Location") or headers.get("location") or ""
        raise BenchError(
            f"{name}: anonymous GET http://{HOST}:{port}{path} answered {status} "
            f"{'-> ' + where if where else ''}, not 200; refusing to measure it."
        )
    if "++api++" in path:  # JSON escapes non-ASCII: compare the decoded title
        found = json.loads(body).get("title") == expect
    else:
        found = expect.encode("utf-8") in body
        if THEME_MARKERS[name].encode() not in body:
            raise BenchError(
                f"{name}: {path} is not themed (no {THEME_MARKERS[name]!r} in the HTML); "
                "the measurement would leave out the Diazo transform."
            )
    if not found:
        raise BenchError(f"{name}: {path} answered 200 but does not contain {expect!r}.")
    return len(body)


def warm_up(name, port, path, count):
    for _ in range(count):
        status, _, _ = request(port, "GET", path)
        if status != 200:
            raise BenchError(f"{name}: {path} answered {status} during warm-up.")


# -- wrk ---------------------------------------------------------------------

UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0, "h": 3600000.0}


def to_ms(text):
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text.strip())
    if not match:
        raise BenchError(f"cannot read the wrk latency {text!r}")
    return float(match.group(1)) * UNITS_MS[match.group(2)]


def parse_wrk(output):
    result = {}
    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if not match:
        raise BenchError(f"wrk printed no Requests/sec:\n{output}")
    result["rps"] = float(match.group(1))
    match = re.search(r"(\d+) requests in ([\d.]+\w+),", output)
    if match:
        result["requests"] = int(match.group(1))
        result["seconds"] = to_ms(match.group(2)) / 1000
    for pct in ("50", "75", "90", "99"):
        match = re.search(rf"^\s+{pct}(?:\.0+)?%\s+(\S+)", output, re.MULTILINE)
        if match:
            result[f"p{pct}_ms"] = round(to_ms(match.group(1)), 2)
    match = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    result["socket_errors"] = (
        dict(zip(("connect", "read", "write", "timeout"), map(int, match.groups()), strict=True))
        if match
        else {}
    )
    match = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    result["non_2xx_3xx"] = int(match.group(1)) if match else 0
    match = re.search(r"RATUSZ-BENCH not200=(\d+) last_bad_status=(\d+)", output)
    result["not_200"] = int(match.group(1)) if match else None
    result["last_bad_status"] = int(match.group(2)) if match else None
    return result


def problems(run):
    found = []
    errors = {kind: n for kind, n in run["socket_errors"].items() if n}
    if errors:
        found.append("socket errors " + ", ".join(f"{k} {n}" for k, n in errors.items()))
    if run["non_2xx_3xx"]:
        found.append(f"{run['non_2xx_3xx']} responses >= 400")
    if run["not_200"]:
        found.append(f"{run['not_200']} responses not 200 (last {run['last_bad_status']})")
    return found


def run_wrk(wrk, port, path, args):
    argv = [
        wrk,
        f"-t{args.wrk_threads}",
        f"-c{args.connections}",
        f"-d{args.duration}s",
        f"--timeout={args.wrk_timeout}s",
        "--latency",
        "-s",
        str(LUA_SCRIPT),
    ]
    for key, value in dict(REQUEST_HEADERS, Host=host_header(port)).items():
        argv += ["-H", f"{key}: {value}"]
    argv.append(f"http://{HOST}:{port}{path}")
    try:
        done = subprocess.run(
            argv, capture_output=True, text=True, timeout=args.duration + args.wrk_timeout + 60
        )
    except subprocess.TimeoutExpired:
        raise BenchError(f"wrk did not finish on {path}")
    if done.returncode != 0:
        raise BenchError(f"wrk failed ({done.returncode}) on {path}: {done.stderr or done.stdout}")
    result = parse_wrk(done.stdout)
    result["command"] = " ".join(argv)
    return result


# -- report ------------------------------------------------------------------


def machine_info(python):
    info = {
        "nproc": os.cpu_count(),
        "cpu": "",
        "ram_gib": None,
        "os": platform.platform(),
        "loadavg_start": os.getloadavg(),
    }
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                info["ram_gib"] = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    probe = (
        "import json, platform\n"
        "from importlib.metadata import version\n"
        "names = ['Products.CMFPlone', 'Zope', 'waitress', 'plone.restapi', 'ratusz']\n"
        "print(json.dumps({'python': platform.python_version(),"
        " **{n: version(n) for n in names}}))\n"
    )
    done = subprocess.run([python, "-c", probe], capture_output=True, text=True, timeout=120)
    if done.returncode == 0:
        info["versions"] = json.loads(done.stdout)
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True, timeout=30)
    info["wrk"] = (wrk_version.stdout or wrk_version.stderr).splitlines()[0].strip()
    return info


def print_table(pairs, goal):
    header = (
        f"{'URL pair':<14}{'Ratusz r/s':>11}{'vanilla r/s':>12}{'ratio':>7}{'(med)':>7}"
        f"{'p50 R ms':>10}{'p50 V ms':>10}{'p99 R ms':>10}{'p99 V ms':>10}  note"
    )
    print(header)
    print("-" * len(header))
    for pair in pairs:
        r, v = pair["ratusz"]["best"], pair["vanilla"]["best"]
        note = f"BELOW {goal}x GOAL" if pair["below_goal"] else "ok"
        if pair["problems"]:
            note += "; " + "; ".join(pair["problems"])
        print(
            f"{pair['name']:<14}{r['rps']:>11.1f}{v['rps']:>12.1f}{pair['ratio']:>7.2f}"
            f"{pair['ratio_median']:>7.2f}"
            f"{r.get('p50_ms', 0):>10.1f}{v.get('p50_ms', 0):>10.1f}"
            f"{r.get('p99_ms', 0):>10.1f}{v.get('p99_ms', 0):>10.1f}  {note}"
        )
    print("r/s, ratio and latencies: best run of each side; (med): ratio of the medians.")
    for pair in pairs:
        print(f"  {pair['name']}: R {pair['ratusz']['url']}  V {pair['vanilla']['url']}")


# -- main --------------------------------------------------------------------


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--python",
        default=sys.executable,
        help="the venv's python; ratusz-instance is taken from the same bin/ (default: this one)",
    )
    parser.add_argument("--var", default=str(HERE / "var"), help="where the instances go")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="reuse the instances of a previous run under --var (if complete) "
        "instead of creating fresh ones",
    )
    parser.add_argument("--duration", type=int, default=15, help="seconds per wrk run (15)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (8)")
    parser.add_argument("--wrk-threads", type=int, default=2, help="wrk threads (2)")
    parser.add_argument("--wrk-timeout", type=int, default=10, help="wrk request timeout, s (10)")
    parser.add_argument("--threads", type=int, default=4, help="waitress threads per server (4)")
    parser.add_argument("--rounds", type=int, default=2, help="wrk runs per URL and server (2)")
    parser.add_argument("--warmup", type=int, default=50, help="warm-up requests per URL (50)")
    parser.add_argument("--goal", type=float, default=GOAL, help="minimum ratio Ratusz/vanilla")
    parser.add_argument(
        "--only",
        choices=[p[0] for p in URL_PAIRS],
        action="append",
        help="measure only this URL pair (repeatable)",
    )
    parser.add_argument("--json", metavar="FILE", help="write the results as JSON to FILE")
    parser.add_argument("--start-timeout", type=int, default=300, help="server start limit, s")
    parser.add_argument("--create-timeout", type=int, default=1200, help="site creation limit, s")
    args = parser.parse_args(argv)
    for name in ("duration", "connections", "wrk_threads", "threads", "rounds", "wrk_timeout"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    if args.connections < args.wrk_threads:
        parser.error("--connections must be at least --wrk-threads")
    return args


def reusable(var_root):
    """The admin password of complete instances under ``var_root``, else None."""
    password_file = var_root / "admin-password"
    complete = all((var_root / name / "filestorage" / "Data.fs").exists() for name in SITES)
    if complete and password_file.exists():
        return password_file.read_text(encoding="utf-8").strip()
    return None


def create_sites(instance, var_root, env, args):
    """Run ``ratusz-instance create-site`` for both sites (in parallel; nothing is measured yet).

    Always on fresh var dirs: ``create-site`` on an existing instance fails when it
    resets the admin password of the root PAS (KeyError IUserManagement).
    """
    running = {}
    for name, (options, _) in SITES.items():
        var_dir = var_root / name
        if var_dir.exists():
            shutil.rmtree(var_dir)
        var_dir.mkdir(parents=True)
        log_path = var_dir / "create-site.log"
        argv = [str(instance), "create-site", "--var", str(var_dir), "--site-id", SITE_ID]
        running[name] = (start_process(argv + options, log_path, env), log_path)
    deadline = time.monotonic() + args.create_timeout
    for name, (proc, log_path) in running.items():
        try:
            proc.wait(timeout=max(1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            raise BenchError(f"creating the {name} site took longer than {args.create_timeout} s")
        finally:
            stop_process(proc)
        if proc.returncode != 0:
            raise BenchError(
                f"creating the {name} site failed ({proc.returncode}); "
                f"last lines of {log_path}:\n{tail(log_path)}"
            )
        print(f"  {name}: {tail(log_path, 1)}")


def bench(args):
    started = time.monotonic()
    python = Path(args.python)
    instance = python.parent / "ratusz-instance"
    if not instance.exists():
        raise BenchError(f"{instance} not found: pass --python with the venv's python")
    wrk = shutil.which("wrk")
    if not wrk:
        raise BenchError("wrk is not installed (apt-get install wrk)")
    var_root = Path(args.var).resolve()
    var_root.mkdir(parents=True, exist_ok=True)
    info = machine_info(str(python))
    password = reusable(var_root) if args.reuse else None
    if password:
        print(f"Reusing the sites under {var_root}", flush=True)
        env = dict(os.environ, ADMIN_PASSWORD=password)
    else:
        # A throw-away admin password per run: the servers listen on 127.0.0.1 only,
        # but there is no reason for admin/admin. Kept for --reuse (var/ is git-ignored).
        password = secrets.token_urlsafe(16)
        env = dict(os.environ, ADMIN_PASSWORD=password)
        print(f"Creating the sites under {var_root} ...", flush=True)
        (var_root / "admin-password").unlink(missing_ok=True)
        create_sites(instance, var_root, env, args)
        password_file = var_root / "admin-password"
        password_file.touch(mode=0o600)
        password_file.write_text(password + "\n", encoding="utf-8")
    auth = ("admin", password)
    created = time.monotonic()

    servers = {}
    for name, (options, _) in SITES.items():
        port = free_port()
        log_path = var_root / name / "log" / "server.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        argv = [
            str(instance),
            "serve",
            "--var",
            str(var_root / name),
            "--host",
            HOST,
            "--port",
            str(port),
            "--threads",
            str(args.threads),
            "--site-id",
            SITE_ID,
        ]
        servers[name] = (start_process(argv + options, log_path, env), port, log_path)
    for name, (proc, port, log_path) in servers.items():
        wait_until_up(name, proc, port, log_path, args.start_timeout)
        print(f"  {name} answers on http://{HOST}:{port}/{SITE_ID}", flush=True)
    for name, (_, container) in SITES.items():
        ensure_bench_page(name, servers[name][1], container, auth)
    install_restapi(servers["vanilla"][1], auth)
    home = copy_home_text(servers["ratusz"][1], servers["vanilla"][1], auth)
    # A phrase of the welcome text, as it appears in the HTML of both home pages.
    welcome = re.sub(r"<[^>]+>", " ", home["text"]["data"]).split(".")[0].strip()

    pairs = [p for p in URL_PAIRS if not args.only or p[0] in args.only]
    expect = {"home": welcome, "document": BENCH_TITLE, "api-document": BENCH_TITLE}
    for pair_name, r_path, v_path, _ in pairs:
        for name, path in (("ratusz", r_path), ("vanilla", v_path)):
            port = servers[name][1]
            size = check_anonymous(name, port, path, expect[pair_name])
            print(
                f"  {name} {path}: 200, {size} bytes; warming up ({args.warmup} requests)",
                flush=True,
            )
            warm_up(name, port, path, args.warmup)

    results = []
    for index, (pair_name, r_path, v_path, description) in enumerate(pairs):
        runs = {"ratusz": [], "vanilla": []}
        paths = {"ratusz": r_path, "vanilla": v_path}
        for round_no in range(args.rounds):
            order = ["ratusz", "vanilla"]
            if (round_no + index) % 2:
                order.reverse()
            for name in order:
                proc, port, log_path = servers[name]
                if proc.poll() is not None:
                    raise BenchError(f"the {name} server died; see {log_path}")
                run = run_wrk(wrk, port, paths[name], args)
                run["round"] = round_no
                runs[name].append(run)
                flag = "; ".join(problems(run))
                print(
                    f"  {pair_name:<13} {name:<8} round {round_no + 1}: {run['rps']:8.1f} req/s"
                    f"  p50 {run.get('p50_ms', 0):7.1f} ms  p99 {run.get('p99_ms', 0):7.1f} ms"
                    f"{'  ' + flag if flag else ''}",
                    flush=True,
                )
                time.sleep(1)
        entry = {"name": pair_name, "description": description, "problems": []}
        for name in ("ratusz", "vanilla"):
            best = max(runs[name], key=lambda run: run["rps"])
            entry[name] = {
                "url": paths[name],
                "runs": runs[name],
                "best": best,
                "median_rps": round(statistics.median(run["rps"] for run in runs[name]), 2),
            }
            for run in runs[name]:
                entry["problems"] += [f"{name}: {p}" for p in problems(run)]
        entry["ratio"] = round(entry["ratusz"]["best"]["rps"] / entry["vanilla"]["best"]["rps"], 3)
        entry["ratio_median"] = round(
            entry["ratusz"]["median_rps"] / entry["vanilla"]["median_rps"], 3
        )
        entry["below_goal"] = entry["ratio"] < args.goal
        results.append(entry)

    info["loadavg_end"] = os.getloadavg()
    finished = time.monotonic()
    report = {
        "date": datetime.date.today().isoformat(),
        "machine": info,
        "parameters": {
            "wrk": f"wrk -t{args.wrk_threads} -c{args.connections} -d{args.duration}s "
            f"--timeout={args.wrk_timeout}s --latency -s benchmarks/count_status.lua",
            "headers": dict(REQUEST_HEADERS, Host=f"{VIRTUAL_HOST}:<port>"),
            "waitress_threads": args.threads,
            "rounds": args.rounds,
            "warmup_requests": args.warmup,
            "goal": args.goal,
            "headline": "best run of each side (max req/s); median in median_rps",
        },
        "pairs": results,
        "seconds": {
            "create_sites": round(created - started, 1),
            "total": round(finished - started, 1),
        },
    }
    print()
    print_table(results, args.goal)
    load = ", ".join(f"{x:.2f}" for x in info["loadavg_start"])
    load_end = ", ".join(f"{x:.2f}" for x in info["loadavg_end"])
    print(
        f"\n{info['nproc']} CPUs ({info['cpu']}), load average at start {load}, at end {load_end}; "
        f"waitress threads {args.threads}; wrk -t{args.wrk_threads} -c{args.connections} "
        f"-d{args.duration}s, best of {args.rounds} runs per side."
    )
    print(
        f"Whole run: {report['seconds']['total']:.0f} s "
        f"(site creation {report['seconds']['create_sites']:.0f} s)."
    )
    below = [pair["name"] for pair in results if pair["below_goal"]]
    if below:
        print(f"Ratusz is below {args.goal}x vanilla on: {', '.join(below)}.")
    else:
        print(f"Ratusz reaches {args.goal}x vanilla on every URL pair.")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        print(f"Results written to {args.json}")
    return report


def on_sigterm(signum, frame):
    raise KeyboardInterrupt


def run_guarded(script, bench_function, args):
    """Run ``bench_function(args)`` as every benchmark's main does; return the exit status:
    0, 1 on a failure (said on stderr, prefixed with ``script``), 130 on Ctrl+C or SIGTERM.
    The servers are always stopped."""
    # Children inherit an ignored SIGINT (e.g. when this runs in the background);
    # a handled one is reset to the default in them, so the servers stop on SIGINT.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, on_sigterm)
    try:
        bench_function(args)
    except BenchError as error:
        print(f"{script}: {error}", file=sys.stderr)
        return 1
    except (OSError, http.client.HTTPException, json.JSONDecodeError) as error:
        print(f"{script}: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{script}: interrupted; stopping the servers.", file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl+C must not skip this
        stop_all()
    return 0


def main(argv=None):
    return run_guarded("benchmarks/run.py", bench, parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
