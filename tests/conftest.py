"""Shared fixtures: the sample corpus and gold in ../shared (read-only), the bundled reports in data/."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("GONGKAI_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpus"
REPORTS = CORPUS / "reports"
GOLD = CORPUS / "gold"
BUNDLED = ROOT / "data" / "reports"


def cell_equal(got, want) -> bool:
    """A gold cell equals an extracted one: null ↔ None, numbers as numbers, amounts with their unit."""
    from index.numbers import to_decimal

    if want is None:
        return got is None
    if isinstance(want, str):
        return isinstance(got, str) and to_decimal(got) == to_decimal(want) and got.endswith(want[-1])
    return got is not None and to_decimal(got) == to_decimal(want)


def gold_files() -> list[Path]:
    return sorted(GOLD.glob("*.json"))


def load_gold(p: Path) -> dict:
    return json.loads(p.read_text(encoding="utf-8"))


def source_for(report_id: str) -> Path:
    hits = [p for p in REPORTS.glob(report_id + ".*")]
    assert hits, f"no report file for {report_id} in {REPORTS}"
    return hits[0]


needs_shared = pytest.mark.skipif(not GOLD.is_dir(), reason="../shared/corpus not present")


@pytest.fixture(scope="session")
def index_home(tmp_path_factory) -> Path:
    """A data folder with the bundled reports ingested once per session (real m3e-small, real Chroma)."""
    from index.ingest import ingest

    home = tmp_path_factory.mktemp("index-home")
    summary = ingest([BUNDLED], home=home, progress=False)
    assert not summary.failed, summary.failed
    return home


@pytest.fixture(scope="session")
def sample_facts_home(tmp_path_factory) -> Path:
    """A store holding the facts of every sample report (no vectors: the figure path needs none)."""
    from index.parse import parse_file
    from index.store import FactStore

    home = tmp_path_factory.mktemp("facts-home")
    st = FactStore(home / "facts.sqlite")
    for p in sorted(REPORTS.iterdir()):
        if p.suffix in (".txt", ".md", ".pdf"):
            st.put(parse_file(p))
    st.close()
    return home
