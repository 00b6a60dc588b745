"""Many users at once: 20 concurrent chat sessions against `gongkai serve` on loopback (eval.load over
Gradio's HTTP API), every answer checked against the gold figure; then the same load while `gongkai ingest`
adds a report in another process. Also: the server listens on 127.0.0.1 only unless told otherwise.

GONGKAI_LOAD_SECONDS sets how long the load runs (default 20 s).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
import zoo
from conftest import BUNDLED, GOLD, ROOT, needs_shared
from serving import listening_addresses, offline_env, server

from eval import load

pytestmark = needs_shared
SECONDS = float(os.environ.get("GONGKAI_LOAD_SECONDS", "20"))
SESSIONS = 20
NEW_TOWN = "福清市并发镇人民政府"


@pytest.fixture(scope="module")
def home(index_home, tmp_path_factory):
    """A copy of the session's ingested store (this module ingests into it)."""
    home = tmp_path_factory.mktemp("load") / "home"
    shutil.copytree(index_home, home)
    return home


@pytest.fixture(scope="module")
def questions(home) -> list[load.Question]:
    """The gold table questions of the bundled reports that a single user gets right (the load must not
    change any answer; the misses of a single user are the evaluation's business, not this test's)."""
    from rag.answer import Answerer

    bundled = {p.stem for p in BUNDLED.iterdir()}
    qs = load.gold_questions(GOLD, bundled)
    ans = Answerer(home)
    right = [q for q in qs if (a := ans.ask(q.text)).kind == "figure" and load.number(str(a.value)) == q.want]
    print(f"{len(right)} of {len(qs)} gold table questions answered right by a single user")
    assert len(right) >= 30
    return right


@pytest.fixture(scope="module")
def served(home):
    with server(home) as (url, _, port):
        yield url, port


def test_server_listens_on_loopback_only(served):
    _, port = served
    assert listening_addresses(port) == {"127.0.0.1"}


def report(capsys, label: str, res: load.Result) -> None:
    """Print the load figures on the terminal even when pytest captures output."""
    with capsys.disabled():
        print(f"\n[load] {label}: {res.line()}")


def test_twenty_concurrent_sessions_all_right(served, questions, capsys):
    url, _ = served
    res = load.run(url, questions, sessions=SESSIONS, seconds=SECONDS)
    report(capsys, "chat", res)
    assert not res.errors, res.errors[:5]
    assert not res.wrong, res.wrong[:5]
    assert res.answers >= SESSIONS


def test_ingest_while_serving_does_not_break_answering(served, questions, home, capsys):
    url, _ = served
    new = zoo.write_text(home.parent / "incoming" / "concurrent-town-2020.txt", zoo.variant(NEW_TOWN))
    proc = subprocess.Popen([sys.executable, "-m", "gongkai.cli", "ingest", "--no-progress", str(new)], cwd=ROOT,
                            env=offline_env(home), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        res = load.run(url, questions, sessions=SESSIONS, seconds=5, until=lambda: proc.poll() is not None)
    finally:
        out = proc.communicate(timeout=600)[0]
    report(capsys, "chat while ingesting", res)
    assert proc.returncode == 0, out
    assert not res.errors, res.errors[:5]
    assert not res.wrong, res.wrong[:5]
    # the new report answers at once, and search over the text still works
    history, _ = load.ask(url, "福清市并发镇2020年有几起信息公开行政诉讼？")
    assert load.answer_value(history) == 3
    history, _ = load.ask(url, "平潭2023年存在的主要问题是什么？")
    text = str(history[-1]["content"])
    assert "gk-answer" in text and "内部错误" not in text and "internal error" not in text


def test_http_uploads_over_50_mb_are_refused(served):
    """Gradio's own upload route refuses a file over the 50 MB limit before any of it is stored."""
    import urllib.error
    import urllib.request

    url, _ = served
    boundary = "gongkaitestboundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"big.txt\"\r\n"
            "Content-Type: text/plain\r\n\r\n").encode() + b"x" * (51 * 2**20) + f"\r\n--{boundary}--\r\n".encode()
    req = urllib.request.Request(f"{url}gradio_api/upload", data=body,
                                 headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(req, timeout=120)
    assert e.value.code == 413
