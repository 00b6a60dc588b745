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


def _app_fn(demo, name: str):
    """Return the Python function the app registered for an event (the real one, called directly)."""
    fns = demo.fns.values() if isinstance(demo.fns, dict) else demo.fns
    return next(f.fn for f in fns if f.name == name)


def _components(demo) -> dict:
    return {b.elem_id: b for b in demo.blocks.values() if getattr(b, "elem_id", None)}


def test_reports_tab_opens_on_the_first_report(parsed_store):
    """The Reports tab shows the first report's real tables and summary at once, not placeholders."""
    home, store = parsed_store
    from ui.app import build_app

    demo = build_app(home)
    first = D.report_choices(store)[0][1]
    r = store.load(first)
    assert len(r.facts) > 0  # the first report has tables to show
    comps = _components(demo)
    assert comps["gk-pick"].value == first
    assert comps["gk-summary"].value == D.report_summary(r) and r.agency in comps["gk-summary"].value
    assert comps["gk-source-text"].value == r.text
    # what the page receives first: the tables with their row labels and the report's numbers
    config = {c["props"].get("elem_id"): c["props"] for c in demo.config["components"]}
    for elem, frame in (("gk-t3", D.table3_frame(r)), ("gk-t4", D.table4_frame(r)), ("gk-t2", D.table2_frame(r))):
        value = config[elem]["value"]
        assert value["headers"] == list(frame.columns), elem
        assert value["data"] == frame.astype(str).values.tolist(), elem
        assert value["headers"] != ["1", "2", "3"]
    t3 = config["gk-t3"]["value"]
    assert len(t3["data"]) >= 10 and t3["data"][0][0].startswith("一、本年新收")
    # and every page load shows the selected report again (a re-ingested one as it is now)
    fns = demo.fns.values() if isinstance(demo.fns, dict) else demo.fns
    loads = [f for f in fns if f.name == "show_report" and any(t[1] == "load" for t in f.targets)]
    assert len(loads) == 1 and [o.elem_id for o in loads[0].outputs] == [
        "gk-summary", "gk-t2", "gk-t3", "gk-t4", "gk-source-text"]
    assert [i.elem_id for i in loads[0].inputs] == ["gk-pick"]
    summary, t2, t3_frame, t4, text = loads[0].fn(first)
    assert summary == D.report_summary(r) and text == r.text
    assert t2.equals(D.table2_frame(r)) and t3_frame.equals(D.table3_frame(r)) and t4.equals(D.table4_frame(r))


TOWNS = ["龙田镇", "高山镇", "东瀚镇", "江阴镇", "新厝镇", "海口镇", "城头镇", "南岭镇", "三山镇", "沙埔镇", "渔溪镇",
         "上迳镇", "港头镇"]


def many_agency_home(folder):
    """Return (data folder, store) holding the bundled reports plus 13 copies of the Jiangjing 2020 report,
    each under another town's name, parsed with the real parser into a real fact store."""
    from index.parse import parse_file
    from index.readers import SUFFIXES
    from index.store import FactStore

    home = folder / "data"
    store = FactStore(home / "facts.sqlite")
    text = (BUNDLED / "jiangjing-2020.txt").read_text(encoding="utf-8")
    copies = folder / "copies"
    copies.mkdir(parents=True, exist_ok=True)
    for i, town in enumerate(TOWNS):
        p = copies / f"copy{i}-2020.txt"
        p.write_text(text.replace("江镜镇", town), encoding="utf-8")
        store.put(parse_file(p))
    for p in sorted(BUNDLED.iterdir()):
        if p.suffix.lower() in SUFFIXES:
            store.put(parse_file(p))
    return home, store


@pytest.fixture(scope="module")
def many_store(tmp_path_factory):
    return many_agency_home(tmp_path_factory.mktemp("ui-many"))


def test_chart_legend_with_many_agencies_wraps(many_store):
    """With 13+ agencies the plot's own one-row legend (which clips and overlaps itself) is off; an HTML
    legend that wraps names every agency in the colour of its line or bar."""
    home, store = many_store
    from ui.app import BAR_LABELS_MAX, build_app

    demo = build_app(home)
    comps = _components(demo)
    for elem in ("gk-line", "gk-bar"):
        assert comps[elem].colors_in_legend == []  # the plot's own legend is not drawn
    assert comps["gk-bar"].y_lim == [0, None]  # bars start at zero: equal values still draw bars
    show = _app_fn(demo, "show_figures")

    df, line, bar, legend, _ = show("table3.new.total", [], [])
    agencies = list(dict.fromkeys(D.chart_frame(df)[0][D.C_AGENCY]))
    copies = {r["agency"] for r in store.list_reports() if r["id"].startswith("copy")}
    assert len(copies) == len(TOWNS) and copies <= set(agencies) and len(agencies) >= 12
    assert line["visible"] is True and bar["visible"] is False
    colors = line["color_map"]
    assert list(colors) == agencies and len(set(colors.values())) == len(agencies)  # ≤ 20: all distinct
    html = legend["value"]
    assert legend["visible"] is True and html.startswith('<div class="gk-legend">')
    items = re.findall(r'<span class="gk-legend-item" title="([^"]*)"><span class="gk-swatch" '
                       r'style="background:(#[0-9a-f]{6})"></span><span class="gk-legend-name">([^<]*)</span>', html)
    assert [(t, c) for t, c, _ in items] == list(colors.items())  # every agency once, its chart colour
    assert all(t == n for t, _, n in items)  # the full name, cut only by CSS with the whole one on hover
    css = " ".join(R.CSS.split())
    assert ".gk-legend { display: flex; flex-wrap: wrap;" in css
    assert "text-overflow: ellipsis" in css and "max-width:" in css

    # one year: bars, too many to name under each bar (the legend does); few agencies keep their labels
    df, line, bar, legend, _ = show("table3.new.total", [], ["2020"])
    assert bar["visible"] is True and line["visible"] is False
    assert len(bar["color_map"]) >= 12 and bar["x_axis_labels_visible"] is False
    assert legend["value"].count("gk-legend-item") == len(bar["color_map"])
    _, _, bar, legend, _ = show("table3.new.total", sorted(copies)[:2], ["2020"])
    assert len(bar["color_map"]) == 2 <= BAR_LABELS_MAX and bar["x_axis_labels_visible"] is True


def test_series_colors_are_stable_and_escaped():
    colors = R.series_colors(["b", "a", "b", "c"] + [f"x{i}" for i in range(30)])
    assert list(colors)[:3] == ["b", "a", "c"] and len(colors) == 33
    assert colors["b"] == R.PALETTE[0] and colors["x17"] == R.PALETTE[0]  # repeats after 20
    html = R.legend_html({EVIL: "#4e79a7"})
    assert "<script>" not in html and "&lt;script&gt;" in html and 'onerror="' not in html
    assert R.legend_html({}) == ""


def _figure_answer(interpretation=None) -> Answer:
    c = Citation("pingtan-tourism-2019", "平潭综合实验区旅游与文化体育局", 2019, "三、", "一、本年新收 · 总计", None,
                 "pingtan-tourism-2019.txt", "表三 | 一、本年新收 | 总计 5")
    a = Answer("平潭旅游局2019年新收多少件？", "平潭综合实验区旅游与文化体育局2019年本年新收政府信息公开申请5件。",
               "figure", value=5, unit="件", verified=True, citations=[c])
    a.interpretation = interpretation
    return a


def test_interpretation_line_is_shown_above_the_answer():
    line = "按：平潭综合实验区旅游与文化体育局 · 2019 · 表三 一、本年新收 · 总计"
    html = R.answer_html(_figure_answer({"agency": "平潭综合实验区旅游与文化体育局", "years": [2019],
                                         "cells": [{"key": "table3.new.total", "label": "表三 一、本年新收 · 总计"}],
                                         "operation": "value", "line": line}))
    assert html.count('class="gk-reading"') == 1
    assert f'<div class="gk-answer"><div class="gk-reading">{line}</div>' in html  # first, above the figure
    assert html.index("gk-reading") < html.index("gk-value") < html.index("gk-text") < html.index("gk-card")
    assert "\n" not in html
    # escaped like all other text, and kept on one line
    evil = R.answer_html(_figure_answer({"line": "Read as: " + EVIL + "\n· 2019"}))
    reading = re.search(r'<div class="gk-reading">(.*?)</div>', evil).group(1)
    assert reading == R.esc("Read as: " + EVIL + " · 2019") and "<script>" not in evil


@pytest.mark.parametrize("interpretation", [None, {}, {"agency": "x", "line": ""}])
def test_no_interpretation_line_without_one(interpretation):
    html = R.answer_html(_figure_answer(interpretation))
    assert "gk-reading" not in html
    assert html.startswith('<div class="gk-answer"><div class="gk-figure">')
    # an answer made before the field existed renders the same way
    assert html == R.answer_html(Answer(**{k: v for k, v in vars(_figure_answer()).items()
                                            if k != "interpretation"}))
