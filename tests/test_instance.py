"""``ratusz-instance start`` end to end: a real process, a real port, a real database."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run_cli(command, env):
    """Run ``ratusz-instance COMMAND`` to completion; return the finished process."""
    return subprocess.run(
        [str(BIN / "ratusz-instance"), command],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def get(url):
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - local server
        return response.status, response.geturl(), response.read().decode()


@pytest.mark.slow
def test_start_creates_the_site_once_and_serves_it(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "RATUSZ_VAR": str(tmp_path / "var"),
        "ADMIN_PASSWORD": "t3st-Secret",
    }
    server = subprocess.Popen(
        [str(BIN / "ratusz-instance"), "start"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                status, url, body = get(f"http://localhost:{port}/Plone")
                break
            except OSError:
                assert server.poll() is None, server.stdout.read()
                assert time.monotonic() < deadline, "the site did not answer in 180 s"
                time.sleep(1)
        assert status == 200
        assert url.endswith("/Plone/pl")
        assert 'lang="pl"' in body
        assert "Przykładowo" in body
        for language in ("en", "uk"):
            assert get(f"http://localhost:{port}/Plone/{language}")[0] == 200
        assert get(f"http://localhost:{port}/Plone/++api++")[0] == 200

        # A second start on the same port is refused with a sentence, not a traceback.
        second = run_cli("start", env=env)
        assert second.returncode == 2
        assert f"Port {port} is already in use" in second.stderr
        assert "Traceback" not in second.stderr
    finally:
        server.terminate()
        server.wait(timeout=30)

    # Starting again reuses the site instead of creating it anew.
    again = run_cli("create-site", env=env)
    assert "already exists, kept" in again.stdout
