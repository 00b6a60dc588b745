"""Fast checks of the web app's parts without a browser: escaping, highlights, figures, uploads, CLI."""

from __future__ import annotations

import re

import pytest
from conftest import BUNDLED, GOLD, load_gold, needs_shared

from gongkai.model import Answer, Citation
from ui import data as D
from ui import render as R
from ui.upload import safe_name, save_uploads

EVIL = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'


def _evil_answer(kind: str = "text") -> Answer:
    c = Citation("x-2020", "测试<b>镇</b>", 2020, "五、" + EVIL, EVIL if kind == "figure" else None, 3,
                 "/srv/" + EVIL + ".txt", "问题" + EVIL + "\n\n* **md** ${alert(1)} 3 &amp; 27")
    return Answer("q", "答" + EVIL, kind, value=3 if kind == "figure" else None, unit="<i>件</i>",
                  verified=True, citations=[c], notes=["note " + EVIL])


@pytest.mark.parametrize("kind", ["text", "figure", "not_found", "clarify"])
def test_report_text_never_becomes_markup(kind):
    html = R.answer_html(_evil_answer(kind))
    tags = set(re.findall(r"<\s*([a-zA-Z]+)", html))
    assert tags <= {"div", "p", "span", "details", "summary", "mark", "br", "i"}, tags
    assert "onerror=" not in html.replace("onerror=&quot;", "")
    if kind != "not_found":
        assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    assert "\n" not in html  # one raw HTML block for the chat's Markdown renderer


def test_highlight_marks_standalone_numbers_only():
    out = R.highlight("2020年行政诉讼3起，13件，3.5%，总计 3", 3)
    assert out.count("<mark>") == 2
    assert "2020" in out and "<mark>13" not in out
    # digits inside an escaped entity are not numbers of the text
    assert "<mark>" not in R.highlight("it's", 27)
    assert R.highlight("合计1,282件", 1282).count("<mark>1,282</mark>") == 1


def test_row_quote_marks_the_cited_cell():
    quote = "某镇 2020年 表四 | 行政诉讼·未经复议直接起诉 | 结果纠正 1 | 尚未审结 1 | 总计 3 | 结果维持 1"
    c = Citation("r", "某镇", 2020, "四、", "行政诉讼·未经复议直接起诉 · 总计", None, "r.txt", quote)
    html = R.card(c, 3)
    assert html.count("<mark>") == 1 and "总计 <mark>3</mark>" in html
    assert "行政诉讼·未经复议直接起诉" in html


def test_not_found_is_plain():
    html = R.answer_html(Answer("q", "", "not_found"))
    assert R.NOT_FOUND.split("。")[0] in html and "gk-card" not in html


def test_metrics_cover_both_generations():
    m = {k: label for label, k in D.metrics()}
    assert m["table3.new.total"] == "表三 一、本年新收政府信息公开申请数量 · 总计"
    for key in ("table2.regulations.new_made", "table2.regulations.issued", "table2.fees.amount",
                "table3.other.total", "table3.other_3.total", "table4.suit_direct.total", "table4.review.upheld"):
        assert key in m, key
    assert len(set(m.values())) == len(m)  # labels are unambiguous


@pytest.fixture(scope="module")
def parsed_store(tmp_path_factory):
    """A fact store holding the bundled reports (parsed with the real parser, no embeddings needed)."""
    from index.parse import parse_file
    from index.readers import SUFFIXES
    from index.store import FactStore

    home = tmp_path_factory.mktemp("ui-store")
    store = FactStore(home / "facts.sqlite")
    for p in sorted(BUNDLED.iterdir()):
        if p.suffix.lower() in SUFFIXES:
            store.put(parse_file(p))
    return home, store


@needs_shared
def test_figures_and_csv_match_gold(parsed_store):
    home, store = parsed_store
    years = [2019, 2021, 2023, 2025]
    df = D.figures(store, "table3.granted.total", ["平潭综合实验区"], years)
    assert list(df[D.C_YEAR]) == years
    gold = {y: load_gold(GOLD / f"pingtan-{y}.json")["table3"]["granted.total"] for y in years}
    assert [int(v) for v in df[D.C_VALUE]] == [gold[y] for y in years]
    plot, kind = D.chart_frame(df)
    assert kind == "line" and list(plot[D.C_VALUE]) == [float(gold[y]) for y in years]
    path = D.write_csv(df, home, "table3.granted.total")
    assert path.parent == home / "exports"
    import pandas as pd

    back = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(back.columns) == D.FIGURE_COLUMNS
    assert back.values.tolist() == df.astype(str).values.tolist()


def test_one_year_gives_bars(parsed_store):
    _, store = parsed_store
    df = D.figures(store, "table3.new.total", None, [2019])
    assert D.chart_frame(df)[1] == "bar" and len(df) >= 2


def test_reports_tables(parsed_store):
    _, store = parsed_store
    frame = D.reports_frame(store)
    assert "jiangjing-2020" in set(frame["报告 report"])
    r = store.load("jiangjing-2020")
    t4 = D.table4_frame(r)
    row = t4[t4["行 row"] == "行政诉讼·未经复议直接起诉"].iloc[0]
    assert row["总计"] == "3"
    assert len(D.table3_frame(r)) >= 20 and len(D.table2_frame(r)) > 0
    assert D.audit_frame(store).columns.tolist() == D.AUDIT_COLUMNS


def test_upload_names_are_generated(tmp_path):
    for bad in ("../../etc/passwd.txt", "C:\\x\\..\\a.txt", "/abs/path/报告.txt"):
        name = safe_name(bad)
        assert name and name.count("/") == 1 and "\\" not in name and ".." not in name and name.endswith(".txt")
        folder, stem = name.split("/")
        assert re.fullmatch(r"[0-9a-f]{32}", folder) and stem in ("passwd.txt", "a.txt", "报告.txt")
    assert safe_name("x.exe") is None and safe_name("noext") is None
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 10)
    import ui.upload as U

    old = U.MAX_BYTES
    U.MAX_BYTES = 5
    try:
        (res,) = save_uploads([("big.txt", big)], tmp_path / "home")
    finally:
        U.MAX_BYTES = old
    assert res.path is None and "too large" in res.error
    (ok,) = save_uploads([("../evil name.txt", big)], tmp_path / "home")
    assert ok.path and ok.path.parent.parent == tmp_path / "home" / "uploads" and ok.path.name == "evil-name.txt"
    assert ok.path.read_bytes() == b"x" * 10


def test_serve_is_registered():
    import argparse

    from ui.cli import register

    ap = argparse.ArgumentParser()
    register(ap.add_subparsers(dest="cmd"))
    a = ap.parse_args(["serve"])
    assert (a.host, a.port, a.allow_upload, a.auth, a.ingest_bundled) == ("127.0.0.1", 7860, False, None, False)


def test_app_builds(parsed_store):
    home, _ = parsed_store
    from ui.app import build_app, launch_kwargs

    demo = build_app(home, allow_upload=True)
    assert demo is not None
    kw = launch_kwargs(home, "127.0.0.1", 7860, None)
    assert kw["server_name"] == "127.0.0.1" and kw["share"] is False
    fonts = str(kw["theme"]._stylesheets) + str(kw["theme"].font)
    assert "GoogleFont" not in fonts and "googleapis" not in fonts


def test_audit_failures_are_listed(tmp_path):
    from index.parse import parse_file
    from index.store import FactStore

    text = (BUNDLED / "jiangjing-2020.txt").read_text(encoding="utf-8")
    bad_row = "0\t0\t0\t0\t0\t1\t1\t0\t1\t3\t"
    assert bad_row in text
    src = tmp_path / "off-2020.txt"
    src.write_text(text.replace(bad_row, bad_row.replace("1\t3\t", "1\t4\t")), encoding="utf-8")
    store = FactStore(tmp_path / "facts.sqlite")
    store.put(parse_file(src))
    audit = D.audit_frame(store)
    assert list(audit["报告 report"]) == ["off-2020"]
    row = audit.iloc[0]
    assert row["表中数 printed"] == "4" and row["计算值 computed"] == "3" and "table4.suit_direct.total" in row["单元格 cells"]
    assert D.reports_frame(store)["勾稽核对 audit"].iloc[0].startswith("✗ 1")
    fig = D.figures(store, "table4.suit_direct.total")
    assert "audit failure" in fig[D.C_NOTE].iloc[0]
