"""``ratusz-instance run-jobs`` and ``import-jrwa`` against a real instance: its zope.conf,
its FileStorage."""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import zc.lockfile

from ratusz import cli

BIN = Path(sys.executable).parent
ANNOUNCEMENTS = "/Plone/pl/bip/ogloszenia-i-obwieszczenia"

# Runs in its own process, as Zope's configuration loads once per process: a
# site without demo content, one ended and one current announcement.
SEED = textwrap.dedent(
    """
    import sys
    from datetime import date, timedelta

    import transaction
    from AccessControl.SecurityManagement import newSecurityManager
    from AccessControl.users import system
    from plone import api
    from Testing.makerequest import makerequest
    from zope.component.hooks import setSite
    from Zope2.Startup.run import make_wsgi_app

    make_wsgi_app({}, sys.argv[1])
    import Zope2

    from ratusz.cli import ensure_site

    app = makerequest(Zope2.app())
    ensure_site(app, "Plone", "t3st-Secret", demo=False)
    newSecurityManager(None, system)
    setSite(app.Plone)
    section = app.Plone.pl.bip["ogloszenia-i-obwieszczenia"]
    metadata = dict(
        bip_produced_by="Jan Kowalski",
        bip_producing_unit="Wydział Organizacyjny",
        bip_responsible="Zofia Sekretarz",
        bip_date_produced=date(2026, 1, 5),
    )
    today = date.today()
    for item_id, valid_to in (
        ("zakonczone", today - timedelta(days=1)),
        ("biezace", today + timedelta(days=30)),
    ):
        item = api.content.create(
            container=section, type="BipAnnouncement", id=item_id, title=item_id,
            valid_from=today - timedelta(days=60), valid_to=valid_to, **metadata,
        )
        api.content.transition(obj=item, transition="publish")
    transaction.commit()
    app._p_jar.db().close()
    """
)


def run_jobs(var, *options):
    return subprocess.run(
        [str(BIN / "ratusz-instance"), "run-jobs", "--var", str(var), *options],
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def instance(tmp_path_factory):
    """An instance var dir with a site and two published announcements."""
    var = tmp_path_factory.mktemp("instance") / "var"
    zope_conf = cli.write_config(var).with_name("zope.conf")
    seeded = subprocess.run(
        [sys.executable, "-c", SEED, str(zope_conf)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert seeded.returncode == 0, seeded.stderr[-3000:]
    return var


@pytest.mark.slow
def test_run_jobs_archives_the_ended_announcement_once(instance):
    first = run_jobs(instance)
    assert first.returncode == 0, first.stderr[-3000:]
    assert f"Archived {ANNOUNCEMENTS}/zakonczone" in first.stdout
    assert "biezace" not in first.stdout
    assert "1 BIP item(s) archived." in first.stdout

    # Committed: the next run finds nothing left to do.
    second = run_jobs(instance)
    assert second.returncode == 0, second.stderr[-3000:]
    assert "0 BIP item(s) archived." in second.stdout


@pytest.mark.slow
def test_an_unknown_site_fails_with_a_sentence(instance):
    result = run_jobs(instance, "--site-id", "Miasto")
    assert result.returncode == 1
    assert "There is no site /Miasto in this instance" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_a_database_in_use_fails_with_a_sentence(instance):
    lock = zc.lockfile.LockFile(str(instance / "filestorage" / "Data.fs.lock"))
    try:
        result = run_jobs(instance)
    finally:
        lock.close()
    assert result.returncode == 1
    assert "The database is in use by the running instance" in result.stderr
    assert "@@ratusz-run-jobs" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_instance_fails_with_a_sentence(tmp_path):
    result = run_jobs(tmp_path / "nowhere")
    assert result.returncode == 1
    assert "There is no instance configuration at" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "nowhere").exists()  # nothing written


def test_run_jobs_is_a_command():
    assert cli.parse_args(["run-jobs", "--site-id", "Miasto"]).command == "run-jobs"


# --- import-jrwa ----------------------------------------------------------------

DATA = Path(__file__).parent / "cases" / "data"
DEMO_JRWA = Path(cli.__file__).parent / "cases" / "data" / "jrwa-demo.csv"

READ_JRWA = textwrap.dedent(
    """
    import sys
    from Zope2.Startup.run import make_wsgi_app

    make_wsgi_app({}, sys.argv[1])
    import Zope2
    from ratusz.cases.jrwa import stored_list

    app = Zope2.app()
    jrwa = stored_list(app.Plone)
    if jrwa is None:
        print("0 -")
    else:
        print(len(jrwa.classes), jrwa.classes.get("0020", {}).get("category"))
    app._p_jar.db().close()
    """
)


def import_jrwa(var, *arguments):
    return subprocess.run(
        [str(BIN / "ratusz-instance"), "import-jrwa", "--var", str(var), *arguments],
        capture_output=True,
        text=True,
        timeout=300,
    )


def stored_jrwa(var):
    zope_conf = var / "etc" / "zope.conf"
    done = subprocess.run(
        [sys.executable, "-c", READ_JRWA, str(zope_conf)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip()


@pytest.mark.slow
def test_import_jrwa_checks_then_imports_the_whole_list(instance):
    checked = import_jrwa(instance, str(DEMO_JRWA), "--check")
    assert checked.returncode == 0, checked.stderr
    assert "Checked 1549 JRWA classes from jrwa-demo.csv." in checked.stdout
    assert stored_jrwa(instance).startswith("0 ")

    imported = import_jrwa(instance, str(DEMO_JRWA))
    assert imported.returncode == 0, imported.stderr
    assert "Imported 1549 JRWA classes" in imported.stdout
    assert stored_jrwa(instance) == "1549 B5"  # B-5 in the file


@pytest.mark.slow
def test_import_jrwa_lists_every_problem_and_keeps_the_list_in_use(instance):
    before = stored_jrwa(instance)
    result = import_jrwa(instance, str(DATA / "jrwa-gmina-pre2011.csv"))
    assert result.returncode == 1
    assert "jrwa-gmina-pre2011.csv:23: Symbol 0050 jest już w wierszu 22." in result.stderr
    assert "jrwa-gmina-pre2011.csv:212: Klasa 0704 nie ma tytułu." in result.stderr
    assert "42 problem(s); nothing was imported." in result.stderr
    assert "Traceback" not in result.stderr
    assert stored_jrwa(instance) == before


def test_import_jrwa_of_a_missing_file_fails_with_a_sentence(tmp_path):
    result = import_jrwa(tmp_path, str(tmp_path / "brak.csv"))
    assert result.returncode == 1
    assert f"There is no file {tmp_path / 'brak.csv'}" in result.stderr
    assert "Traceback" not in result.stderr


def test_import_jrwa_needs_a_file():
    with pytest.raises(cli.CommandError, match="Name the CSV file"):
        cli.run(["import-jrwa"])
