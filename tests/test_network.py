"""No request leaves the machine: `gongkai ingest` (a scanned report too: OCR), `gongkai ask` and `gongkai serve`
(answering over HTTP) all work with the outside network cut off, and none of them even tries to reach it.

Two locks at once:
- a network namespace with only a loopback interface (`unshare --net`, needs root; skipped without it
  only for this lock), so nothing — Python, Rust or C — can reach another host;
- a `sitecustomize` in every Python process that audits socket connects and name lookups (sys.addaudithook),
  records each one aimed beyond loopback and refuses it, so a silent attempt (a telemetry ping that
  swallows its error) still fails the test.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import zoo
from conftest import BUNDLED, ROOT
from serving import free_port, offline_env

from index.readers import ocr

SITECUSTOMIZE = r'''
import os, sys

_LOG = os.environ.get("GONGKAI_NETLOG")
_LOCAL = {"localhost", "127.0.0.1", "::1", "0.0.0.0", "", None}


def _local(host):
    if isinstance(host, bytes):
        host = host.decode(errors="replace")
    return host in _LOCAL or (isinstance(host, str) and (host.startswith("127.") or host.endswith(".localhost")))


def _hook(event, args):
    if not event.startswith("socket."):
        return
    host = None
    if event in ("socket.connect", "socket.sendto", "socket.sendmsg"):
        addr = args[1] if len(args) > 1 else None
        if isinstance(addr, tuple) and addr:
            host = addr[0]
        else:
            return  # AF_UNIX paths and the like
    elif event in ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex",
                   "socket.gethostbyaddr"):
        host = args[0] if args else None
    else:
        return
    if _local(host):
        return
    with open(_LOG, "a") as f:
        f.write(f"{os.getpid()} {sys.argv[:3]} {event} {host!r}\n")
    raise OSError(f"blocked by the test: {event} {host!r}")


if _LOG:
    sys.addaudithook(_hook)
'''

# runs inside the namespace: ingest, ask (a figure and a text question), serve + two questions over HTTP
DRIVER = r'''
import json, os, subprocess, sys, time, urllib.request
from eval import load

py, files, port = sys.executable, sys.argv[2:], sys.argv[1]
out = {}
run = lambda *a: subprocess.run([py, "-m", "gongkai.cli", *a], capture_output=True, text=True, timeout=900)
r = run("ingest", "--no-progress", *files)
out["ingest"] = [r.returncode, r.stderr[-2000:]]
r = run("ask", "--json", "江镜镇2020年有几起信息公开行政诉讼？")
out["ask_figure"] = [r.returncode, r.stdout[-3000:], r.stderr[-2000:]]
r = run("ask", "--json", "平潭2021年存在的主要问题是什么？")
out["ask_text"] = [r.returncode, r.stdout[-3000:], r.stderr[-2000:]]
log = open(os.environ["GONGKAI_HOME"] + "-serve.log", "w")
srv = subprocess.Popen([py, "-m", "gongkai.cli", "serve", "--port", port], stdout=log, stderr=subprocess.STDOUT)
url = f"http://127.0.0.1:{port}/"
try:
    for _ in range(600):
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                out["page"] = resp.status
                break
        except OSError:
            if srv.poll() is not None:
                break
            time.sleep(0.3)
    h, _ = load.ask(url, "江镜镇2020年有几起信息公开行政诉讼？")
    out["serve_figure"] = str(load.answer_value(h))
    h, _ = load.ask(url, "平潭2021年存在的主要问题是什么？")
    out["serve_text"] = str(h[-1]["content"])[:3000]
finally:
    srv.terminate()
    srv.wait(timeout=30)
print(json.dumps(out, ensure_ascii=False))
'''


def _unshare_works() -> bool:
    if not shutil.which("unshare") or not shutil.which("ip"):
        return False
    try:
        r = subprocess.run(["unshare", "--net", "sh", "-c", "ip link set lo up"], capture_output=True, timeout=20,
                           check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return r.returncode == 0


@pytest.fixture(scope="module")
def offline_run(tmp_path_factory):
    """Run the driver with the audit hook in every Python process, inside a loopback-only namespace if possible."""
    root = tmp_path_factory.mktemp("offline")
    (root / "site").mkdir()
    (root / "site" / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    netlog = root / "attempts.log"
    netlog.touch()
    home = root / "home"
    env = offline_env(home, GONGKAI_NETLOG=str(netlog),
                      PYTHONPATH=f"{root / 'site'}:{ROOT}")
    files = [str(BUNDLED / "jiangjing-2020.txt"), str(BUNDLED / "pingtan-2021.txt")]
    # a scanned report (image-only PDF): ingesting it runs the OCR worker, which must stay offline too
    if ocr.available():
        pdf, _ = zoo.synth_report_pdf(root)
        files.append(str(zoo.image_only_pdf(root / "scanned-report.pdf", zoo.raster(pdf, 150), 150)))
    cmd = [sys.executable, "-c", DRIVER, str(free_port()), *files]
    namespace = _unshare_works()
    if namespace:
        cmd = ["unshare", "--net", "sh", "-c", 'ip link set lo up && exec "$@"', "sh", *cmd]
    res = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1500, check=False)
    assert res.returncode == 0, res.stderr[-4000:]
    out = json.loads(res.stdout.strip().splitlines()[-1])
    print(f"namespace: {namespace}; results: { {k: str(v)[:200] for k, v in out.items()} }")
    return {"out": out, "attempts": netlog.read_text(), "namespace": namespace, "files": len(files),
            "serve_log": Path(str(home) + "-serve.log").read_text()}


def test_no_process_tried_to_reach_another_host(offline_run):
    assert offline_run["attempts"] == "", offline_run["attempts"]


def test_ingest_works_offline(offline_run):
    code, err = offline_run["out"]["ingest"]
    assert code == 0 and f"{offline_run['files']} added" in err, err  # the scan among them, when OCR is installed


def test_ask_works_offline(offline_run):
    code, out, err = offline_run["out"]["ask_figure"]
    assert code == 0, err
    a = json.loads(out)
    assert a["kind"] == "figure" and a["value"] == 3
    code, out, err = offline_run["out"]["ask_text"]
    assert code == 0, err
    a = json.loads(out)
    assert a["kind"] == "text" and a["citations"], a  # the retrieval path: query embedding + Chroma + BM25


def test_serve_works_offline(offline_run):
    out = offline_run["out"]
    assert out.get("page") == 200, offline_run["serve_log"][-3000:]
    assert out["serve_figure"] == "3"
    assert "gk-answer" in out["serve_text"] and "internal error" not in out["serve_text"]


def test_network_was_really_cut(offline_run):
    if not offline_run["namespace"]:
        pytest.skip("unshare --net is not available here (needs root): only the audit hook was in force")
    r = subprocess.run(["unshare", "--net", "sh", "-c", "ip link set lo up && ip -o addr"], capture_output=True,
                       text=True, timeout=20, check=False)
    interfaces = {line.split()[1] for line in r.stdout.splitlines()}
    assert interfaces == {"lo"}


def test_the_audit_hook_catches_an_attempt(tmp_path):
    """The control: the same sitecustomize records and refuses a lookup and a connect beyond loopback."""
    (tmp_path / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    netlog = tmp_path / "attempts.log"
    code = ("import socket\n"
            "s = socket.socket()\n"
            "for f in (lambda: socket.getaddrinfo('example.com', 80), lambda: s.connect(('192.0.2.1', 80))):\n"
            "    try: f()\n"
            "    except OSError as e: print(e)\n")
    env = offline_env(tmp_path / "home", GONGKAI_NETLOG=str(netlog), PYTHONPATH=str(tmp_path))
    r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60, check=False)
    assert r.stdout.count("blocked by the test") == 2, r.stdout + r.stderr
    logged = netlog.read_text()
    assert "socket.getaddrinfo 'example.com'" in logged and "socket.connect '192.0.2.1'" in logged
