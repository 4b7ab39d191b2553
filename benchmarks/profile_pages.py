"""Where the time of a page goes: CPU time per viewlet, portlets, theme, per site.

Run after ``benchmarks/run.py`` (which leaves its two instances in
``benchmarks/var/`` and stops their servers; this script opens their databases
directly, so no server may be running on them)::

    .venv/bin/python benchmarks/profile_pages.py
    .venv/bin/python benchmarks/profile_pages.py --requests 300 --only home

Each site is loaded in a child process of its own (Zope's configuration can be
loaded once per process); the child publishes every URL of run.py's URL pairs
in-process through the WSGI application, with the same headers as wrk, and
measures the CPU time of its thread (``time.thread_time``), which a busy
machine disturbs much less than wall-clock throughput. Viewlets, portlet
managers, the navigation portlet, the Diazo transform, the language
information of plone.i18n and the publisher's traversal are timed separately.
The table shows, per URL pair, the median CPU milliseconds per request on
each side and the items where Ratusz spends more than vanilla.
"""

import argparse
import io
import json
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import REQUEST_HEADERS  # noqa: E402
from run import URL_PAIRS  # noqa: E402
from run import VIRTUAL_HOST  # noqa: E402


def child(var_dir, paths, requests, warmup):
    """Load the instance of ``var_dir``, time ``paths``; print JSON on stdout."""
    from Zope2.Startup.run import make_wsgi_app

    app = make_wsgi_app({}, str(Path(var_dir) / "etc" / "zope.conf"))
    spent = defaultdict(float)
    clock = time.thread_time

    def timed(function, key):
        def wrapper(*args, **kwargs):
            start = clock()
            try:
                return function(*args, **kwargs)
            finally:
                spent[key] += clock() - start

        return wrapper

    import plone.app.portlets.portlets.navigation as navigation
    import plone.app.theming.transform as theming
    import plone.i18n.utility as i18n_utility
    import plone.portlets.manager as portlets
    import zope.event
    import zope.viewlet.manager as viewlet_manager
    from zope.contentprovider.interfaces import BeforeUpdateEvent
    from ZPublisher import BaseRequest

    def update_viewlets(self):  # zope.viewlet's _updateViewlets, timing each viewlet
        for viewlet in self.viewlets:
            key = f"viewlet {self.__name__}/{viewlet.__name__}"
            start = clock()
            zope.event.notify(BeforeUpdateEvent(viewlet, self.request))
            viewlet.update()
            spent[key] += clock() - start
            viewlet.render = timed(viewlet.render, key)

    viewlet_manager.ViewletManagerBase._updateViewlets = update_viewlets
    theming.ThemeTransform.transformIterable = timed(
        theming.ThemeTransform.transformIterable, "Diazo theme transform"
    )
    portlets.PortletManagerRenderer.visible = property(
        timed(portlets.PortletManagerRenderer.visible.fget, "portlet managers: visible?")
    )
    portlets.PortletManagerRenderer.render = timed(
        portlets.PortletManagerRenderer.render, "portlet managers: render"
    )
    navigation.Renderer.available = property(
        timed(navigation.Renderer.available.fget, "navigation portlet: available? (tree)")
    )
    i18n_utility.LanguageUtility.getAvailableLanguageInformation = timed(
        i18n_utility.LanguageUtility.getAvailableLanguageInformation,
        "plone.i18n getAvailableLanguageInformation",
    )
    BaseRequest.BaseRequest.traverse = timed(BaseRequest.BaseRequest.traverse, "traversal")

    def get(path):
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": VIRTUAL_HOST,
            "SERVER_PORT": "8080",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": f"{VIRTUAL_HOST}:8080",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
            "wsgi.version": (1, 0),
        }
        for name, value in REQUEST_HEADERS.items():
            environ["HTTP_" + name.upper().replace("-", "_")] = value
        status = []
        body = b"".join(app(environ, lambda s, h, e=None: status.append(s)))
        if not status[0].startswith("200"):
            raise SystemExit(f"{path} answered {status[0]}")
        return len(body)

    results = {}
    for path in paths:
        for _ in range(warmup):
            get(path)
        spent.clear()
        per_request = []
        for _ in range(requests):
            start = clock()
            get(path)
            per_request.append(clock() - start)
        per_request.sort()
        items = {key: value / requests * 1000 for key, value in spent.items()}
        items["TOTAL (median request)"] = per_request[len(per_request) // 2] * 1000
        results[path] = items
    json.dump(results, sys.stdout)


def median_items(results):
    """Per path and item, the median over the runs (an item missing in a run counts 0)."""
    merged = {}
    for path in results[0]:
        keys = set().union(*(run[path] for run in results))
        merged[path] = {
            key: statistics.median(run[path].get(key, 0.0) for run in results) for key in keys
        }
    return merged


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--var", default=str(HERE / "var"))
    parser.add_argument("--requests", type=int, default=200, help="timed requests per URL")
    parser.add_argument("--warmup", type=int, default=30, help="untimed requests per URL")
    parser.add_argument("--repeat", type=int, default=3, help="runs per side, alternated")
    parser.add_argument("--only", choices=[p[0] for p in URL_PAIRS], action="append")
    parser.add_argument("--min-diff", type=float, default=0.25, help="hide smaller differences")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child[0], args.child[1:], args.requests, args.warmup)
        return 0
    pairs = [p for p in URL_PAIRS if not args.only or p[0] in args.only]
    runs = {"ratusz": [], "vanilla": []}
    for repeat in range(args.repeat):  # alternate the sides against drift of a busy machine
        sides = [("ratusz", 1), ("vanilla", 2)]
        for side, index in sides if repeat % 2 == 0 else reversed(sides):
            var_dir = Path(args.var).resolve() / side
            if not (var_dir / "filestorage" / "Data.fs").exists():
                print(f"No instance in {var_dir}: run benchmarks/run.py first.", file=sys.stderr)
                return 1
            argv = [sys.executable, __file__, "--requests", str(args.requests), "--warmup"]
            argv += [str(args.warmup), "--child", str(var_dir), *[p[index] for p in pairs]]
            done = subprocess.run(argv, capture_output=True, text=True, timeout=3600)
            if done.returncode != 0:
                print(f"{side}: profiling failed (is its server still running?)", file=sys.stderr)
                print("\n".join(done.stderr.splitlines()[-15:]), file=sys.stderr)
                return 1
            runs[side].append(json.loads(done.stdout))
            print(f"  {side} run {repeat + 1}/{args.repeat} done", file=sys.stderr, flush=True)
    measured = {side: median_items(results) for side, results in runs.items()}
    print(
        f"Median of {args.repeat} runs x {args.requests} requests per URL and side; "
        "CPU time of the publishing thread."
    )
    for name, r_path, v_path, _ in pairs:
        ratusz, vanilla = measured["ratusz"][r_path], measured["vanilla"][v_path]
        total = "TOTAL (median request)"
        print(
            f"\n{name}: {r_path} vs {v_path}: CPU ms/request Ratusz {ratusz[total]:.1f}, "
            f"vanilla {vanilla[total]:.1f} (throughput ratio ~{vanilla[total] / ratusz[total]:.2f})"
        )
        print(f"  {'item (ms per request)':<70}{'Ratusz':>8}{'vanilla':>8}{'diff':>8}")
        keys = sorted(
            set(ratusz) | set(vanilla), key=lambda k: vanilla.get(k, 0) - ratusz.get(k, 0)
        )
        for key in keys:
            a, b = ratusz.get(key, 0.0), vanilla.get(key, 0.0)
            if key != total and abs(a - b) >= args.min_diff:
                print(f"  {key[:70]:<70}{a:8.2f}{b:8.2f}{a - b:+8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
