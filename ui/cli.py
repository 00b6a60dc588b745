"""`gongkai serve`: the web app on 127.0.0.1:7860 (no share link, no analytics, no outside requests)."""

from __future__ import annotations

import ipaddress
import os
import sys

from gongkai import config
from gongkai.errors import GongkaiError


def _auth(value: str | None) -> tuple[str, str] | None:
    value = value or os.environ.get("GONGKAI_AUTH")
    if not value:
        return None
    user, sep, password = value.partition(":")
    if not sep or not user or not password:
        raise GongkaiError("--auth needs USER:PASSWORD (or set GONGKAI_AUTH=USER:PASSWORD)")
    return user, password


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _ensure_bundled(home) -> None:
    """Ingest the bundled demo reports when the store holds no report yet (what `make run` uses)."""
    from index.cli import ensure_bundled

    summary = ensure_bundled(home)
    if summary is not None and (summary.added or summary.failed or summary.recovered):
        print(f"gongkai: {summary.line()}", file=sys.stderr)


def cmd_serve(a) -> int:
    config.set_offline()
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"  # also stops Gradio's version check
    home = config.data_home()
    auth = _auth(a.auth)
    if a.ingest_bundled:
        _ensure_bundled(home)
    if not _loopback(a.host):
        print(f"warning: serving on {a.host}: anyone who can reach this address can use the app"
              + ("" if auth else " (consider --auth USER:PASSWORD)"), file=sys.stderr)
    if a.allow_upload and not auth:
        print("warning: uploads are allowed without --auth", file=sys.stderr)

    from ui.app import Answers, build_app, launch_kwargs

    answers = Answers(home)
    answers.warm()  # load the retrieval model while the page opens
    demo = build_app(home, allow_upload=a.allow_upload, answers=answers)
    demo.queue(default_concurrency_limit=2)
    print(f"gongkai: data in {home}; open http://{a.host}:{a.port}", file=sys.stderr)
    demo.launch(**launch_kwargs(home, a.host, a.port, auth))
    return 0


def register(sub) -> None:
    p = sub.add_parser("serve", help="run the web app (chat, figures, reports) on 127.0.0.1:7860")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1, loopback only)")
    p.add_argument("--port", type=int, default=int(os.environ.get("GONGKAI_PORT", "7860")))
    p.add_argument("--allow-upload", action="store_true", help="let users upload and ingest report files")
    p.add_argument("--auth", metavar="USER:PASSWORD", help="require a login (or set GONGKAI_AUTH)")
    p.add_argument("--ingest-bundled", action="store_true",
                   help="ingest the bundled demo reports first if the store is empty")
    p.set_defaults(fn=cmd_serve)
