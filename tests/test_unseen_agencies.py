"""Questions about agencies nobody tuned for: synthetic reports (eval/synth.py: new place names, districts,
counties, townships, departments that share names across cities) are stored beside each other, and the
question generator (eval/paraphrase.py) asks about them in citizens' styles. No figure may be wrong; a
department name several cities share may ask back, never answer for the wrong city."""

from __future__ import annotations

import pytest

from eval.paraphrase import generate as paraphrases
from eval.synth import generate as synth


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    from index.parse import parse_file
    from index.store import FactStore
    from rag.answer import Answerer

    root = tmp_path_factory.mktemp("unseen")
    pairs = synth(root / "corpus", 16, seed=11, formats=("txt", "html"))
    facts = FactStore(root / "home" / "facts.sqlite")
    for report, _gold in pairs:
        facts.put(parse_file(report))
    facts.close()
    return Answerer(root / "home", use_index=False), root / "corpus" / "gold"


def test_no_wrong_figure_about_unseen_agencies(store):
    from eval.qa import QAItem, score

    ans, gold = store
    items = [d for d in paraphrases(gold, seed=4) if d["type"] in ("figure", "unanswerable")]
    assert len(items) > 300
    outcomes = []
    for d in items:
        a = ans.ask(d["q"])
        r = score(QAItem(q=d["q"], a=d.get("a"), type=d["type"], unit=d.get("unit"), report=d.get("report")), a, 0.0)
        outcomes.append((d, r.outcome, a))
    figs = [x for x in outcomes if x[0]["type"] == "figure"]
    wrong = [x for x in figs if x[1] == "wrong"]
    right = [x for x in figs if x[1] == "right"]
    assert not wrong, "\n".join(f"{d['q']} → gold {d.get('a')} · got {a.value} · {a.answer[:80]}" for d, _, a in wrong)
    assert len(right) / len(figs) >= 0.9, f"{len(right)}/{len(figs)} right"
