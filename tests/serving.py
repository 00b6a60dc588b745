"""Start `gongkai serve` on a free loopback port for a test, and look at what it listens on."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from conftest import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def offline_env(home: Path, **extra: str) -> dict:
    return dict(os.environ, GONGKAI_HOME=str(home), GRADIO_ANALYTICS_ENABLED="False", HF_HUB_OFFLINE="1",
                TRANSFORMERS_OFFLINE="1", ANONYMIZED_TELEMETRY="False", **extra)


@contextlib.contextmanager
def server(home: Path, *args: str, prefix: list[str] | None = None, env: dict | None = None, timeout: float = 180):
    """Run `gongkai serve --port P ARGS` (optionally under a command prefix); yield (url, process, port)."""
    port = free_port()
    log_path = home.parent / f"serve-{port}.log"
    cmd = [*(prefix or []), sys.executable, "-m", "gongkai.cli", "serve", "--port", str(port), *args]
    with log_path.open("w") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env or offline_env(home), stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.time() + timeout
        while True:
            if proc.poll() is not None:
                raise AssertionError(f"gongkai serve exited with {proc.returncode}:\n{log_path.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(url, timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.time() > deadline:
                raise AssertionError(f"gongkai serve did not answer in {timeout} s:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.3)
        yield url, proc, port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def listening_addresses(port: int) -> set[str]:
    """Return the local addresses with a TCP socket listening on `port` (from /proc/net/tcp and tcp6)."""
    out = set()
    for name, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        try:
            lines = Path(name).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            f = line.split()
            addr, p = f[1].split(":")
            if f[3] == "0A" and int(p, 16) == port:  # 0A = LISTEN
                raw = bytes.fromhex(addr)
                if width == 8:
                    out.add(socket.inet_ntop(socket.AF_INET, raw[::-1]))
                else:  # four little-endian 32-bit words
                    words = b"".join(raw[i:i + 4][::-1] for i in range(0, 16, 4))
                    out.add(socket.inet_ntop(socket.AF_INET6, words))
    return out
