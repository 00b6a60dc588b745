"""Every gold cell of every template report equals what `gongkai facts --json` extracts."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import REPORTS, cell_equal, gold_files, load_gold, needs_shared, source_for

from index.export import report_json
from index.parse import parse_file

pytestmark = needs_shared


_eq = cell_equal


@pytest.mark.parametrize("gold_path", gold_files(), ids=lambda p: p.stem)
def test_every_gold_cell(gold_path):
    g = load_gold(gold_path)
    out = report_json(parse_file(source_for(g["id"])))
    assert out["agency"] == g["agency"]
    assert out["year"] == g["year"]
    assert out["template"] == str(g["template"])
    misses = []
    for t in ("table2", "table3", "table4"):
        for k, v in g[t].items():
            if not _eq(out[t].get(k, "MISSING"), v):
                misses.append(f"{t}.{k}: gold {v!r}, got {out[t].get(k, 'MISSING')!r}")
    assert not misses, "\n".join(misses)


def test_all_gold_cells_counted(capsys):
    total = 0
    for p in gold_files():
        g = load_gold(p)
        out = report_json(parse_file(source_for(g["id"])))
        for t in ("table2", "table3", "table4"):
            for k, v in g[t].items():
                assert _eq(out[t].get(k, "MISSING"), v), (g["id"], t, k)
                total += 1
    with capsys.disabled():
        print(f"\n[gold] {total} cells checked across {len(gold_files())} reports, all equal")
    assert total > 2000


def test_pre_template_report_is_free_text():
    r = parse_file(REPORTS / "pingtan-2018.txt")
    assert r.template == "pre-2019"
    assert r.year == 2018
    assert r.facts == []
    assert r.sections


def test_audit_finds_hongze_2023_table4_errors_only():
    failures = {}
    for p in gold_files():
        g = load_gold(p)
        r = parse_file(source_for(g["id"]))
        failures[g["id"]] = [a for a in r.audit]
    h = failures.pop("hongze-2023")
    assert sorted(a.cells[0] for a in h) == ["table4.review.total", "table4.suit_after_review.total"]
    assert {(a.printed, a.computed) for a in h} == {(0, 11), (0, 5)}
    assert all(not v for v in failures.values()), {k: [a.message for a in v] for k, v in failures.items() if v}


def test_cross_year_carry_over_holds_for_hongze():
    from index.audit import cross_year

    rs = [parse_file(REPORTS / "hongze-2023.pdf"), parse_file(REPORTS / "hongze-2024.pdf")]
    assert cross_year(rs) == []
    # break the carry-over: the check must notice
    import dataclasses
    r24 = rs[1]
    r24.facts = [dataclasses.replace(f, value=7) if f.full_key == "table3.carried_over.total" else f
                 for f in r24.facts]
    assert any("上年结转" in a.message for a in cross_year(rs))


def test_facts_cli_json_shape():
    out = subprocess.run([sys.executable, "-m", "gongkai.cli", "facts", str(REPORTS / "jiangjing-2020.txt"),
                          "--json"], capture_output=True, text=True, check=True)
    d = json.loads(out.stdout)
    assert {"id", "source", "agency", "year", "template", "table2", "table3", "table4", "narrative",
            "audit"} <= set(d)
    assert d["table4"]["suit_direct.total"] == 3
    assert d["sources"]["table4.suit_direct.total"]["row_label"]


def test_narrative_figures_keep_sentence():
    r = parse_file(REPORTS / "jiangjing-2020.txt")
    hits = [n for n in r.narrative if n.value == 451 and n.unit == "条"]
    assert hits and "历年累计主动公开政府信息451条" in hits[0].quote
    pct = [n for n in r.narrative if n.unit == "%" and str(n.value) == "55.6"]
    assert pct
