"""The embedding backends: the shipped one loads offline from the installed model and agrees with torch.

Real model, real reports, real ONNX export into a fresh data folder; no network (sockets refused).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import index.embed as emb
from tests.conftest import BUNDLED, ROOT


def _passages() -> list[str]:
    """Return a few real passages as they are embedded: section pieces and table rows of two reports."""
    from index.chunks import chunks_for, search_text
    from index.parse import parse_file

    out: list[str] = []
    for name in ("jiangjing-2020.txt", "shanghai-kewei-2024.md"):
        chunks = chunks_for(parse_file(BUNDLED / name))
        sections = [c for c in chunks if c.kind == "section"]
        rows = [c for c in chunks if c.kind == "row"]
        out += [search_text(c) for c in sections[:3] + rows[:3]]
    return out


@pytest.fixture()
def no_network(monkeypatch):
    """Refuse every outgoing connection and name lookup while the test runs."""
    def refuse(*a, **k):
        raise OSError("network access during an offline test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_shipped_backend_loads_offline_and_agrees_with_torch(tmp_path, no_network):
    texts = _passages()
    assert len(texts) == 12 and any(" | " in t for t in texts) and any("\n" in t for t in texts)
    ref = emb.load("torch").encode(texts)
    got = emb.load(emb.DEFAULT_BACKEND, home=tmp_path).encode(texts, batch_size=4)  # exported here, offline
    assert got.shape == (len(texts), emb.DIMENSION)
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-4)
    cos = (got * ref).sum(axis=1)
    assert cos.min() >= 0.99, cos
    # the vectors still tell passages apart as torch's do: each is nearest to its own torch vector
    assert list((got @ ref.T).argmax(axis=1)) == list(range(len(texts)))


@pytest.mark.parametrize("backend", [b for b in emb.BACKENDS if b.startswith("onnx")])
def test_onnx_backends_agree_with_torch_and_are_exported_once(tmp_path, backend, no_network):
    texts = _passages()[:6]
    f = emb.onnx_file(backend, tmp_path)
    mtime = f.stat().st_mtime_ns
    got = emb.load(backend, home=tmp_path).encode(texts)
    assert emb.onnx_file(backend, tmp_path).stat().st_mtime_ns == mtime  # cached, not exported again
    assert not [p for p in (tmp_path / "models").iterdir() if p.name.endswith(".tmp")]
    cos = (got * emb.load("torch").encode(texts)).sum(axis=1)
    assert cos.min() >= 0.99, cos
    # fp32: padding in a batch does not change a vector (one text alone = the same text in a mixed batch);
    # int8 quantizes activations with one scale per batch, so a vector moves a little with its neighbours
    alone = emb.load(backend, home=tmp_path).encode(texts[:1])
    exact = emb.BACKENDS[backend] == emb.MODEL_FOLDER
    assert float(alone[0] @ got[0]) > (0.99999 if exact else 0.99)


_PROBE = """
import json, sys
from pathlib import Path
from gongkai.errors import GongkaiError
try:
    import index.embed as emb
except GongkaiError as e:
    print(json.dumps({"error": str(e)})); sys.exit(0)
from index.vectors import VectorIndex, collection_name
print(json.dumps({"backend": emb.BACKEND, "collection": collection_name(), "count": VectorIndex(Path(sys.argv[1])).count()}))
"""


def _probe(home: Path, backend: str | None) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("GONGKAI_CHROMA_URL", "GONGKAI_EMBED_BACKEND")}
    if backend is not None:
        env["GONGKAI_EMBED_BACKEND"] = backend
    out = subprocess.run([sys.executable, "-c", _PROBE, str(home)], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=300, check=False)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_vectors_of_two_kinds_never_share_a_collection(tmp_path):
    from index.chunks import chunks_for
    from index.parse import parse_file
    from index.vectors import VectorIndex

    chunks = chunks_for(parse_file(BUNDLED / "jiangjing-2020.txt"))[:5]
    vi = VectorIndex(tmp_path)  # this process: GONGKAI_EMBED_BACKEND as the test run has it
    vi.add(chunks, emb.embed([c.text for c in chunks]))
    same = [b for b in emb.BACKENDS if emb.BACKENDS[b] == emb.MODEL_NAME]
    other = [b for b in emb.BACKENDS if emb.BACKENDS[b] != emb.MODEL_NAME]
    for b in same:  # backends whose vectors equal these to 1e-6 read the same collection
        got = _probe(tmp_path, b)
        assert got["collection"] == vi.collection.name and got["count"] == 5, got
    for b in other:  # int8 vectors (or fp32 ones, seen from int8) go to a collection of their own: empty here
        got = _probe(tmp_path, b)
        assert got["collection"] != vi.collection.name and got["count"] == 0, got
    assert other, "every backend gives the same vectors? then the collection name need not say which"


def test_unknown_backend_is_refused_with_the_choices(tmp_path):
    got = _probe(tmp_path, "tensorrt")
    assert "tensorrt" in got["error"] and all(b in got["error"] for b in emb.BACKENDS)
