"""``ratusz-instance``: configuration rendering and the friendly refusals."""

import socket

import pytest

from ratusz import cli


def test_write_config_renders_all_files(tmp_path):
    zope_ini = cli.write_config(tmp_path / "var", host="localhost", port=8123)
    etc = tmp_path / "var" / "etc"
    assert zope_ini == etc / "zope.ini"
    assert "listen = localhost:8123" in zope_ini.read_text()
    zope_conf = (etc / "zope.conf").read_text()
    assert f"path {tmp_path / 'var'}/filestorage/Data.fs" in zope_conf
    assert f"blob-dir {tmp_path / 'var'}/blobstorage" in zope_conf
    assert "$" not in zope_conf.replace("$INSTANCEHOME", "").replace("$CLIENTHOME", "")
    assert '<include package="ratusz" />' in (etc / "site.zcml").read_text()
    for sub in ("log", "filestorage", "blobstorage"):
        assert (tmp_path / "var" / sub).is_dir()


def test_vanilla_config_does_not_load_ratusz(tmp_path):
    cli.write_config(tmp_path, vanilla=True)
    assert '<include package="ratusz"' not in (tmp_path / "etc" / "site.zcml").read_text()


def test_old_python_is_refused_with_a_sentence():
    with pytest.raises(cli.CommandError, match=r"needs Python 3.10 or newer; this is Python 3.9.2"):
        cli.check_python((3, 9, 2))
    cli.check_python((3, 10, 0))


def test_taken_port_is_refused_with_a_sentence():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(
            cli.CommandError, match=rf"Port {port} is already in use.*PORT={port + 1}"
        ):
            cli.check_port_free("localhost", port)


def test_free_port_passes():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    cli.check_port_free("localhost", port)


@pytest.mark.parametrize("port", ["eighty", "0", "70000"])
def test_bad_port_is_refused(monkeypatch, port):
    monkeypatch.setenv("PORT", port)
    with pytest.raises(cli.CommandError, match="PORT must be"):
        cli.parse_args(["start"])


def test_environment_defaults(monkeypatch):
    for name in ("PORT", "SITE_ID", "HOST", "RATUSZ_VAR"):
        monkeypatch.delenv(name, raising=False)
    args = cli.parse_args(["start"])
    assert (args.port, args.site_id, args.host, args.var) == (
        8080,
        "Plone",
        "localhost",
        "instance/var",
    )
    monkeypatch.setenv("PORT", "9090")
    monkeypatch.setenv("SITE_ID", "Miasto")
    args = cli.parse_args(["start"])
    assert (args.port, args.site_id) == (9090, "Miasto")


def test_main_prints_error_and_exits_2(monkeypatch, capsys):
    monkeypatch.setenv("PORT", "not-a-port")
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["start"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("ratusz-instance: PORT must be a number")
    assert "Traceback" not in err


def test_default_admin_password_is_warned_about(monkeypatch, capsys):
    monkeypatch.delenv("ADMIN_PASSWORD", raising=False)
    assert cli.admin_password() is None
    assert "WARNING" in capsys.readouterr().err
    monkeypatch.setenv("ADMIN_PASSWORD", "s3cret-Long")
    assert cli.admin_password() == "s3cret-Long"
    assert capsys.readouterr().err == ""


def test_start_passes_its_options_to_create_site(monkeypatch):
    for name in ("PORT", "SITE_ID", "HOST", "RATUSZ_VAR", "SITE_TITLE"):
        monkeypatch.delenv(name, raising=False)
    argv = ["--port", "9001", "start", "--no-demo", "--site-id", "Miasto", "--title", "UM Kalisz"]
    options = cli.site_options(cli.parse_args(argv))
    assert " ".join(options) == (
        "--var instance/var --host localhost --port 9001 "
        "--site-id Miasto --title UM Kalisz --threads 4 --no-demo"
    )


def test_start_passes_threads_to_create_site():
    options = cli.site_options(cli.parse_args(["start", "--threads", "8"]))
    assert options[options.index("--threads") + 1] == "8"
