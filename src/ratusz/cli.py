"""``ratusz-instance``: configure, populate and serve the embedded Zope instance.

``make start`` runs ``ratusz-instance start``: it renders the configuration
from the templates in ``instance/`` into ``<var>/etc``, creates the site if
it is absent and serves it in the foreground. Each step is also a command of
its own (``config``, ``create-site``, ``serve``); ``--vanilla`` builds a plain
Plone 6.2 Classic UI site without Ratusz, the benchmarks' yardstick.
``run-jobs`` runs the daily jobs (BIP archiving) once and exits: the clock's
command (docs/bip-jobs.md). ``import-jrwa FILE [--check]`` imports the office's
list of files (docs/cases-jrwa.md).

Settings come from options or the environment: ``PORT`` (8080), ``HOST``
(localhost), ``SITE_ID`` (Plone), ``SITE_TITLE`` (the demo office's name),
``ADMIN_PASSWORD`` (admin), ``RATUSZ_VAR`` (``instance/var``),
``RATUSZ_MAIL_QUEUE`` (``<var>/mailqueue``, docs/architecture.md "Mail").
"""

import argparse
import errno
import os
import socket
import string
import subprocess
import sys
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

MIN_PYTHON = (3, 10)
DEFAULT_ADMIN_PASSWORD = "admin"  # noqa: S105 - documented demo default, warned about


class CommandError(Exception):
    """A problem the user can fix; printed as one sentence, never a traceback."""


def render_template(name, **values):
    """Fill ``instance/<name>`` with ``values`` (``string.Template`` syntax).

    >>> "path /srv/var/filestorage/Data.fs" in render_template(
    ...     "filestorage.conf.in", var_dir="/srv/var")
    True
    """
    text = resources.files("ratusz").joinpath("instance", name).read_text(encoding="utf-8")
    return string.Template(text).substitute(values)


def write_config(var_dir, host="localhost", port=8080, vanilla=False, threads=4, mail_queue=None):
    """Render zope.conf, zope.ini and site.zcml into ``<var_dir>/etc``; return zope.ini's path.

    ``mail_queue`` is the mail queue directory, ``<var_dir>/mailqueue`` unless given.
    """
    var_dir = Path(var_dir).resolve()
    etc = var_dir / "etc"
    for sub in ("etc", "log", "filestorage", "blobstorage", "cache"):
        (var_dir / sub).mkdir(parents=True, exist_ok=True)
    mail_queue = Path(mail_queue or var_dir / "mailqueue").resolve()
    ensure_mail_queue(mail_queue)
    includes = "" if vanilla else '  <include package="ratusz" />'
    storage = render_template("filestorage.conf.in", var_dir=var_dir)
    files = {
        "zope.conf": render_template(
            "zope.conf.in",
            instance_home=var_dir,
            var_dir=var_dir,
            debug_mode="off",
            storage=storage,
            mail_queue=mail_queue,
        ),
        "zope.ini": render_template(
            "zope.ini.in",
            listen=f"{host}:{port}",
            threads=threads,
            var_dir=var_dir,
            console_level="INFO",
        ),
        "site.zcml": render_template("site.zcml.in", includes=includes),
    }
    for name, text in files.items():
        (etc / name).write_text(text, encoding="utf-8")
    return etc / "zope.ini"


def ensure_mail_queue(path):
    """Create the mail queue (a maildir: cur, new, tmp) at ``path`` unless it is one.

    Done before Zope starts, so that a queue which cannot be made stops the
    start with a sentence instead of failing at the first mail.

    >>> ensure_mail_queue(Path("/srv/ratusz/var/mailqueue"))
    """
    from zope.sendmail.maildir import Maildir

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        Maildir(str(path), create=True)
    except (OSError, ValueError) as error:
        raise CommandError(
            f"The mail queue {path} cannot be used ({error}). It must be a maildir "
            "(folders cur, new and tmp) or absent; set RATUSZ_MAIL_QUEUE to another folder."
        )


def check_python(version_info=sys.version_info):
    """Refuse Python older than 3.10 with a sentence, not a traceback."""
    if tuple(version_info[:2]) < MIN_PYTHON:
        found = ".".join(str(part) for part in version_info[:3])
        raise CommandError(
            f"Ratusz needs Python 3.10 or newer; this is Python {found}. "
            "Install a newer Python (e.g. apt-get install python3) and run make start again."
        )


def check_port_free(host, port):
    """Raise CommandError when something already listens on ``host:port``."""
    address = "127.0.0.1" if host in ("localhost", "") else host
    with socket.socket(socket.AF_INET6 if ":" in address else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((address, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise CommandError(
                    f"Port {port} is already in use: another program (perhaps a running "
                    f"Ratusz) listens on {host}:{port}. Stop it, or choose another port: "
                    f"PORT={port + 1} make start"
                )
            raise CommandError(f"Cannot listen on {host}:{port}: {error.strerror}.")


DEMO_TITLE = "Urząd Miasta Przykładowo"


def create_site(zope_conf, site_id, admin_password, demo=True, vanilla=False, title=DEMO_TITLE):
    """Create the Plone site in the instance of ``zope_conf`` unless it exists.

    Returns True when a site was created. Runs in its own process: Zope's
    configuration can be loaded once per process, and ``serve`` loads it again.
    ``admin_password`` None keeps an existing administrator's password.
    """
    import transaction
    from zc.lockfile import LockError
    from Zope2.Startup.run import make_wsgi_app

    try:
        make_wsgi_app({}, str(zope_conf))  # opens (and locks) the database
    except LockError:
        raise CommandError("The database is in use by another running instance; stop it first.")

    import Zope2
    from Testing.makerequest import makerequest

    app = makerequest(Zope2.app())
    try:
        return ensure_site(app, site_id, admin_password, demo, vanilla, title)
    finally:
        # Abort first: a failed creation leaves the connection joined to the
        # transaction, and closing it then would hide the real error.
        transaction.abort()
        database = app._p_jar.db()
        app._p_jar.close()
        database.close()


def ensure_site(app, site_id, admin_password=None, demo=True, vanilla=False, title=DEMO_TITLE):
    """Create the site ``site_id`` in the Zope root ``app`` if absent; commit.

    Shared by ``ratusz-instance`` and the buildout path
    (``bin/instance run scripts/buildout_site.py``). Returns True when created.

    >>> ensure_site(app, "Plone", "s3cret", demo=False)
    True
    """
    import transaction
    from AccessControl.SecurityManagement import newSecurityManager
    from plone.distribution.api import site as site_api
    from zope.globalrequest import setRequest

    admin = ensure_admin(app, admin_password or DEFAULT_ADMIN_PASSWORD, reset=bool(admin_password))
    transaction.commit()
    if site_id in app.objectIds():
        return False
    newSecurityManager(None, admin.__of__(app.acl_users))
    # Content import (plone.exportimport) needs the global request.
    setRequest(app.REQUEST)
    answers = {
        "site_id": site_id,
        "title": "Plone site" if vanilla else title,
        "description": "",
        "default_language": "pl",
        "portal_timezone": "Europe/Warsaw",
        "setup_content": bool(demo),
    }
    site_api.create(app, "classic" if vanilla else "ratusz", answers)
    transaction.commit()
    return True


def ensure_admin(app, password, reset=True):
    """Create the Zope ``admin`` user with ``password``; with ``reset``, also change it.

    Without ``reset`` an existing administrator keeps the password it has, so a
    restart without ADMIN_PASSWORD never turns it back into the default.
    """
    users = app.acl_users
    if users.getUserById("admin") is None:
        users._doAddUser("admin", password, ["Manager"], [])
    elif reset:
        # The Zope root's user folder is a plain PAS: its ZODB user manager
        # ("users") holds the password.
        users.users.updateUserPassword("admin", password)
    return users.getUserById("admin")


def serve(zope_ini):
    """Replace this process with Zope's WSGI server (waitress) on ``zope_ini``."""
    runwsgi = Path(sys.executable).with_name("runwsgi")
    os.execv(str(runwsgi), [str(runwsgi), str(zope_ini)])  # noqa: S606 - our own venv script


def parse_args(argv):
    env = os.environ
    parser = argparse.ArgumentParser(prog="ratusz-instance", description=__doc__.split("\n")[0])
    parser.add_argument(
        "command",
        choices=["start", "config", "create-site", "serve", "run-jobs", "import-jrwa"],
    )
    parser.add_argument("file", nargs="?", help="import-jrwa: the CSV file")
    parser.add_argument(
        "--check", action="store_true", help="import-jrwa: check the file, change nothing"
    )
    parser.add_argument("--var", default=env.get("RATUSZ_VAR", "instance/var"))
    parser.add_argument("--host", default=env.get("HOST", "localhost"))
    parser.add_argument("--port", type=int, default=None)
    parser.add_argument("--site-id", default=env.get("SITE_ID", "Plone"))
    parser.add_argument(
        "--title", default=env.get("SITE_TITLE", DEMO_TITLE), help="the office's name"
    )
    parser.add_argument(
        "--no-demo", action="store_true", help="create the site without demo content"
    )
    parser.add_argument(
        "--vanilla", action="store_true", help="plain Plone 6.2 Classic UI, no Ratusz"
    )
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_intermixed_args(argv)  # the file may follow the options
    if args.port is None:
        try:
            args.port = int(env.get("PORT", "8080"))
        except ValueError:
            raise CommandError(f"PORT must be a number, not {env.get('PORT')!r}.")
    if not 0 < args.port < 65536:
        raise CommandError(f"PORT must be between 1 and 65535, not {args.port}.")
    return args


def site_options(args):
    """The options of ``create-site`` that repeat what ``start`` was given.

    >>> site_options(parse_args(["start", "--no-demo", "--title", "UM Kalisz"]))[-5:]
    ['--site-id', 'Plone', '--title', 'UM Kalisz', '--no-demo']
    """
    options = ["--var", args.var, "--host", args.host, "--port", str(args.port)]
    options += ["--site-id", args.site_id, "--title", args.title, "--threads", str(args.threads)]
    options += ["--no-demo"] * args.no_demo + ["--vanilla"] * args.vanilla
    return options


def admin_password():
    """ADMIN_PASSWORD, or None: then a new administrator gets ``admin`` and an
    existing one keeps its password."""
    password = os.environ.get("ADMIN_PASSWORD") or None
    if password in (None, DEFAULT_ADMIN_PASSWORD):
        print(
            "WARNING: unless it was changed, the Zope administrator is admin/admin. "
            "Set ADMIN_PASSWORD for anything but a demo on your own machine.",
            file=sys.stderr,
        )
    return password


class DatabaseUnavailable(Exception):
    """The instance's database cannot be opened by this process; the message says why."""


@contextmanager
def opened_app(zope_conf, busy_hint):
    """The Zope application of the instance of ``zope_conf``, with a request; closed after.

    Opens the database through the instance's own configuration (FileStorage,
    ZEO or RelStorage alike). Nothing is committed unless the caller commits.
    ``busy_hint`` tells what to do when a running instance holds a FileStorage.
    """
    zope_conf = Path(zope_conf)
    if not zope_conf.is_file():
        raise DatabaseUnavailable(
            f"There is no instance configuration at {zope_conf}; "
            "run `ratusz-instance config` (or start) with the same --var first."
        )
    import transaction
    from zc.lockfile import LockError
    from Zope2.Startup.run import make_wsgi_app

    try:
        make_wsgi_app({}, str(zope_conf))
    except LockError:
        raise DatabaseUnavailable(
            "The database is in use by the running instance (a FileStorage opens in one "
            f"process only). {busy_hint}"
        )

    import Zope2
    from Testing.makerequest import makerequest

    app = makerequest(Zope2.app())
    try:
        yield app
    finally:
        transaction.abort()
        database = app._p_jar.db()
        app._p_jar.close()
        database.close()


def run_jobs(zope_conf, site_id):
    """Run the daily jobs on the site ``site_id`` of the instance of ``zope_conf``.

    Runs every daily job (``ratusz.jobs``) in a transaction, prints what each
    did and returns the exit code: 0 done, 1 failed.

    >>> run_jobs(Path("instance/var/etc/zope.conf"), "Plone")
    Archived /Plone/pl/bip/ogloszenia-i-obwieszczenia/przetarg
    1 BIP item(s) archived.
    0
    """
    from ratusz.jobs import JobFailed
    from ratusz.jobs import report_lines
    from ratusz.jobs import run_jobs_in

    hint = (
        "Trigger the jobs through it instead: POST @@ratusz-run-jobs "
        "(docs/bip-jobs.md), or move the database to ZEO or RelStorage."
    )
    try:
        with opened_app(zope_conf, hint) as app:
            reports = run_jobs_in(app, site_id)
    except (DatabaseUnavailable, JobFailed) as error:
        return _job_error(str(error))
    for line in report_lines(reports):
        print(line)
    return 0


def import_jrwa_file(zope_conf, site_id, csv_file, check_only=False):
    """Import the JRWA in ``csv_file`` into the site ``site_id``; return the exit code.

    The whole file is checked first; with any problem nothing changes and every
    problem is printed with its line (translated into Polish, the office's
    language). ``check_only`` checks without storing.

    >>> import_jrwa_file(Path("instance/var/etc/zope.conf"), "Plone", Path("jrwa.csv"))
    Imported 1549 JRWA classes from jrwa.csv.
    0
    """
    csv_file = Path(csv_file)
    if not csv_file.is_file():
        return _job_error(f"There is no file {csv_file}.")
    hint = "Import the file in Site Setup → JRWA instead, or stop the instance first."
    try:
        with opened_app(zope_conf, hint) as app:
            return _import_jrwa_in(app, site_id, csv_file, check_only)
    except DatabaseUnavailable as error:
        return _job_error(str(error))


def _import_jrwa_in(app, site_id, csv_file, check_only):
    import transaction
    from zope.component.hooks import setSite
    from zope.i18n import translate

    from ratusz.cases.jrwa import JrwaImportError
    from ratusz.cases.jrwa import parse_jrwa
    from ratusz.cases.jrwa_views import import_jrwa

    site = app.get(site_id)
    if site is None:
        return _job_error(f"There is no site /{site_id} in this instance.")
    setSite(site)
    data = csv_file.read_bytes()
    try:
        if check_only:
            count = len(parse_jrwa(data))
        else:
            count = import_jrwa(site, data, csv_file.name, "ratusz-instance")
            transaction.commit()
    except JrwaImportError as error:
        for problem in error.problems:
            where = f"{csv_file.name}:{problem.line}: " if problem.line else f"{csv_file.name}: "
            print(where + translate(problem.message, target_language="pl"), file=sys.stderr)
        print(
            f"ratusz-instance: {len(error.problems)} problem(s); nothing was imported.",
            file=sys.stderr,
        )
        return 1
    verb = "Checked" if check_only else "Imported"
    print(f"{verb} {count} JRWA classes from {csv_file.name}.")
    return 0


def _job_error(message):
    print(f"ratusz-instance: {message}", file=sys.stderr)
    return 1


def run(argv=None):
    check_python()
    args = parse_args(argv)
    if args.command == "import-jrwa":
        if not args.file:
            raise CommandError("Name the CSV file: ratusz-instance import-jrwa jrwa.csv")
        zope_conf = Path(args.var) / "etc" / "zope.conf"
        sys.exit(import_jrwa_file(zope_conf, args.site_id, args.file, args.check))
    if args.command == "run-jobs":
        # The configuration is only read: an operator may have edited it
        # (e.g. for RelStorage), and the jobs must not rewrite it.
        sys.exit(run_jobs(Path(args.var) / "etc" / "zope.conf", args.site_id))
    if args.command in ("start", "serve"):
        check_port_free(args.host, args.port)
    mail_queue = os.environ.get("RATUSZ_MAIL_QUEUE")
    zope_ini = write_config(args.var, args.host, args.port, args.vanilla, args.threads, mail_queue)
    zope_conf = zope_ini.with_name("zope.conf")
    if args.command == "config":
        print(f"Configuration written to {zope_ini.parent}")
    if args.command == "create-site":
        created = create_site(
            zope_conf, args.site_id, admin_password(), not args.no_demo, args.vanilla, args.title
        )
        print(f"Site /{args.site_id} {'created' if created else 'already exists, kept'}.")
    if args.command == "start":
        child = [sys.executable, "-m", "ratusz.cli", "create-site", *site_options(args)]
        if subprocess.call(child) != 0:
            raise CommandError("The site could not be created; see the messages above.")
    if args.command in ("start", "serve"):
        print(f"Ratusz serves http://{args.host}:{args.port}/{args.site_id} (Ctrl+C stops it)")
        sys.stdout.flush()
        serve(zope_ini)


def main(argv=None):
    try:
        run(argv)
    except CommandError as error:
        print(f"ratusz-instance: {error}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
