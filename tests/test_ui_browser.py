"""The web app in a real browser: Debian's chromium driven by Playwright against `gongkai serve`.

One server per module on a free loopback port, over a temporary data folder holding the bundled
reports plus a copy of one with `<script>` and `<img onerror>` injected. Every request the page makes
to a host other than the server is recorded and blocked; each test asserts there were none.
Screenshots go to the test's temporary folder (set GONGKAI_DOCS_SCREENSHOT=path to also save the chat
screenshot used by the README).
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import socket
import time
from pathlib import Path

import pytest
import serving
from conftest import BUNDLED, GOLD, load_gold, needs_shared
from serving import offline_env

CHROMIUM = os.environ.get("GONGKAI_CHROMIUM", "/usr/bin/chromium")
pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason=f"{CHROMIUM} not found: `make install` installs Debian's chromium (needs root or sudo)"),
]
playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
XSS = {
    "一是政府信息公开的队伍建设": '一是<script>window.__pwned=1</script>政府信息公开的队伍建设'
                       '<img src=x onerror="window.__pwned=2;alert(2)">',
    "(1) 基本情况。": '(1) 基本情况。<svg onload="window.__pwned=3"></svg>${window.__pwned=4}',
    # and a litigation total that does not add up (1+1+0+1 printed as 4), for the audit table
    "0\t0\t0\t0\t0\t1\t1\t0\t1\t3\t": "0\t0\t0\t0\t0\t1\t1\t0\t1\t4\t",
}
PINGTAN_YEARS = [2019, 2021, 2023, 2025]
SLOW = 120_000  # ms: the first answer may load the retrieval model in the server


def evil_copy(folder: Path, name: str = "xss-2020.txt", agency: str = "测试镇") -> Path:
    """Write a copy of the Jiangjing report under another agency name, with markup injected into its text."""
    text = (BUNDLED / "jiangjing-2020.txt").read_text(encoding="utf-8").replace("江镜镇", agency)
    for old, new in XSS.items():
        assert old in text
        text = text.replace(old, new, 1)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def home(request, tmp_path_factory) -> Path:
    """A data folder with the bundled reports and the injected copy ingested (the real ingest).

    Starts from a copy of the session's shared `index_home` when conftest provides one, so only the
    injected copy is embedded here (the bundled files are then "unchanged")."""
    from index.ingest import ingest

    home = tmp_path_factory.mktemp("ui-home") / "data"
    try:
        shared = request.getfixturevalue("index_home")
    except pytest.FixtureLookupError:
        shared = None
    if shared is not None:
        shutil.copytree(shared, home)
    summary = ingest([BUNDLED, evil_copy(home.parent / "incoming")], home=home, progress=False)
    assert not summary.failed, summary.failed
    return home


@pytest.fixture(scope="module")
def server(home, tmp_path_factory):
    """`gongkai serve --allow-upload` on a free loopback port; yields its URL."""
    env = offline_env(home, GRADIO_TEMP_DIR=str(tmp_path_factory.mktemp("gradio-tmp")))
    t0 = time.perf_counter()
    with serving.server(home, "--allow-upload", env=env, timeout=120) as (url, _proc, _port):
        print(f"server up in {time.perf_counter() - t0:.1f} s")
        yield url


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def shots(tmp_path) -> Path:
    d = tmp_path / "screenshots"
    d.mkdir()
    return d


@pytest.fixture
def page(browser, server):
    """A fresh page on the app; records outside requests (blocked) and alert dialogs."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 1000}, accept_downloads=True, locale="zh-CN")
    outside: list[str] = []

    def route(r):
        if r.request.url.startswith(server) or r.request.url.startswith(("data:", "blob:")):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    ctx.route("**/*", route)
    pg = ctx.new_page()
    pg.dialogs = []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.set_default_timeout(30_000)
    pg.goto(server)
    pg.wait_for_selector("#gk-question textarea")
    yield pg
    ctx.close()
    assert not outside, f"the page requested outside hosts: {outside}"


def not_pwned(pg) -> None:
    assert pg.evaluate("typeof window.__pwned") == "undefined"
    assert pg.dialogs == []


def ask(pg, question: str):
    """Ask in the chat; return the locator of the newest answer once it is shown."""
    before = pg.locator("#gk-chat .gk-answer").count()
    pg.fill("#gk-question textarea", question)
    pg.press("#gk-question textarea", "Enter")
    pg.wait_for_function(f"document.querySelectorAll('#gk-chat .gk-answer').length > {before}", timeout=SLOW)
    return pg.locator("#gk-chat .gk-answer").last


def pick(pg, selector: str, typed: str, option: str) -> None:
    """Choose `option` in a Gradio dropdown by typing into its filter."""
    box = pg.locator(f"{selector} input").first
    box.click()
    box.fill(typed)
    pg.get_by_role("option", name=option, exact=True).click()


def test_chat_answers_with_source_card(page, shots):
    t0 = time.perf_counter()
    ans = ask(page, "江镜镇2020年有几起信息公开行政诉讼？")
    print(f"answer in {time.perf_counter() - t0:.1f} s")
    assert ans.locator(".gk-value").inner_text().strip() == "3"
    assert ans.locator(".gk-verified").count() == 1
    first = ans.locator("details.gk-card").first
    summary = first.locator("summary").inner_text()
    assert "福清市江镜镇人民政府" in summary and "2020" in summary
    assert "行政诉讼·未经复议直接起诉" in summary  # the table row
    assert first.locator("mark").first.inner_text().strip() == "3"  # the cited cell, highlighted
    # the cards open and close
    second = ans.locator("details.gk-card").nth(1)
    second.locator("summary").click()
    assert second.get_attribute("open") is not None
    page.screenshot(path=str(shots / "chat.png"), full_page=True)
    docs = os.environ.get("GONGKAI_DOCS_SCREENSHOT")
    if docs:
        page.evaluate("document.querySelector('#gk-chat [role=log]').scrollTop = 0")
        page.screenshot(path=docs, clip={"x": 0, "y": 0, "width": 1280, "height": 1000})
    not_pwned(page)


def test_not_found_is_said_plainly(page):
    ans = ask(page, "江镜镇2020年有多少只大熊猫？")
    assert "未找到" in ans.inner_text() or "没有找到" in ans.inner_text() or "not" in ans.inner_text().lower()


@needs_shared
def test_figures_tab_chart_and_csv(page, shots):
    page.get_by_role("tab", name="数据 Figures").click()
    pick(page, "#gk-metric", "予以公开 · 总计", "表三 三、本年度办理结果 （一）予以公开 · 总计")
    pick(page, "#gk-agencies", "平潭综合实验区", "平潭综合实验区")
    page.keyboard.press("Escape")
    for y in PINGTAN_YEARS:
        pick(page, "#gk-years", str(y), str(y))
    page.keyboard.press("Escape")
    page.click("#gk-show")
    page.wait_for_selector("#gk-line .vega-embed", timeout=30_000)
    page.wait_for_selector("#gk-csv a[href*='.csv']")
    gold = {y: load_gold(GOLD / f"pingtan-{y}.json")["table3"]["granted.total"] for y in PINGTAN_YEARS}
    table = page.inner_text("#gk-figures")
    assert all(f"pingtan-{y}" in table for y in PINGTAN_YEARS)
    with page.expect_download() as dl:
        page.locator("#gk-csv a[href*='.csv']").first.click()
    path = shots / "figures.csv"
    dl.value.save_as(path)
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert [(r["机构 agency"], int(r["年份 year"])) for r in rows] == [("平潭综合实验区", y) for y in PINGTAN_YEARS]
    assert [int(r["数值 value"]) for r in rows] == [gold[y] for y in PINGTAN_YEARS]
    assert all(r["报告 report"] == f"pingtan-{y}" for r, y in zip(rows, PINGTAN_YEARS))
    # the chart draws those points: one line over the four years
    canvas = page.locator("#gk-line canvas, #gk-line svg.marks").first
    assert canvas.bounding_box()["height"] > 100
    assert not page.locator("#gk-bar").is_visible()
    # the audit lists the injected copy, whose litigation total does not add up
    audit = page.inner_text("#gk-audit")
    assert "xss-2020" in audit and "表四" in audit and "pingtan-2021" not in audit
    page.screenshot(path=str(shots / "figures.png"), full_page=True)
    not_pwned(page)


def test_injected_markup_does_not_execute(page, shots):
    ans = ask(page, "测试镇2020年存在的主要问题是什么？")
    text = ans.inner_text()
    assert "<script>window.__pwned=1</script>" in text or "<img src=x" in text, text[:500]
    assert page.locator("#gk-chat script, #gk-chat img[src='x'], #gk-chat svg[onload]").count() == 0
    page.screenshot(path=str(shots / "xss-chat.png"), full_page=True)
    not_pwned(page)

    page.get_by_role("tab", name="报告 Reports").click()
    assert "福清市测试镇人民政府" in page.inner_text("#gk-reports")
    pick(page, "#gk-pick", "xss-2020", "福清市测试镇人民政府 2020 · xss-2020")
    page.wait_for_function("document.querySelector('#gk-source-text textarea').value.includes('<script>')")
    assert "行政诉讼·未经复议直接起诉" in page.inner_text("#gk-t4")
    time.sleep(0.5)  # give any injected handler a chance to fire
    page.screenshot(path=str(shots / "xss-report.png"), full_page=True)
    not_pwned(page)


def test_upload_ingests_and_reports_errors(page, shots, tmp_path, home):
    good = evil_copy(tmp_path / "up", "upload-2020.txt", agency="上传镇")
    bad = tmp_path / "up" / "notes.txt"
    bad.write_text("这不是年度报告。", encoding="utf-8")
    page.get_by_role("tab", name="上传 Upload").click()
    page.set_input_files("#gk-upload input[type=file]", [str(good), str(bad)])
    page.wait_for_function("(() => { const t = document.querySelector('#gk-upload').innerText;"
                           " return t.includes('notes') && t.includes('upload-2020'); })()")
    page.click("#gk-ingest")
    # the rows appear together when the batch is done (the progress text names files earlier)
    page.wait_for_function("document.querySelector('#gk-ingest-result').innerText.includes('failed')",
                           timeout=SLOW)
    result = page.inner_text("#gk-ingest-result")
    assert "added" in result and "upload-2020" in result and "failed" in result
    assert str(home) not in result  # no server paths on the page
    # the same event refreshes the report list
    page.get_by_role("tab", name="报告 Reports").click()
    page.wait_for_function("(document.querySelector('#gk-reports')?.innerText || '').includes('上传镇')")
    page.get_by_role("tab", name="上传 Upload").click()
    page.screenshot(path=str(shots / "upload.png"), full_page=True)
    # and the new report answers questions at once
    page.get_by_role("tab", name="对话 Chat").click()
    assert ask(page, "上传镇2020年有几起信息公开行政诉讼？").locator(".gk-value").inner_text().strip() == "4"
    not_pwned(page)
    saved = sorted(p.relative_to(home / "uploads").parts[1] for p in (home / "uploads").glob("*/*"))
    assert saved == ["notes.txt", "upload-2020.txt"]


def test_reports_tab_shows_the_first_report_at_once(page):
    """The Reports tab opens on the first report's summary and tables, with no change of selection."""
    page.get_by_role("tab", name="报告 Reports").click()
    page.wait_for_function("(document.querySelector('#gk-summary textarea')?.value || '').includes('模板 template')")
    chosen = page.locator("#gk-pick input").first.input_value()
    summary = page.locator("#gk-summary textarea").input_value()
    assert chosen and summary.split(" · ")[0] in chosen  # the selected report's agency
    t3 = page.inner_text("#gk-t3")
    assert "一、本年新收政府信息公开申请数量" in t3 and "总计" in t3
    assert "行政复议" in page.inner_text("#gk-t4")
    assert page.locator("#gk-source-text textarea").input_value().strip()
    not_pwned(page)


@pytest.fixture(scope="module")
def many_server(tmp_path_factory):
    """The app (in this process) over a store of 18 agencies: the bundled reports and 13 renamed copies."""
    from test_ui import many_agency_home

    from ui.app import build_app, launch_kwargs

    home, _ = many_agency_home(tmp_path_factory.mktemp("ui-many-browser"))
    demo = build_app(home)
    port = free_port()
    demo.launch(**{**launch_kwargs(home, "127.0.0.1", port, None), "prevent_thread_lock": True, "quiet": True})
    yield f"http://127.0.0.1:{port}/"
    demo.close()


@pytest.mark.parametrize("width", [1280, 600])
def test_chart_legend_with_many_agencies_does_not_overlap(browser, many_server, tmp_path, width):
    ctx = browser.new_context(viewport={"width": width, "height": 1000}, locale="zh-CN")
    outside: list[str] = []
    ctx.route("**/*", lambda r: r.continue_() if r.request.url.startswith((many_server, "data:", "blob:"))
              else (outside.append(r.request.url), r.abort()))
    pg = ctx.new_page()
    pg.set_default_timeout(30_000)
    pg.goto(many_server)
    pg.get_by_role("tab", name="数据 Figures").click()
    pg.click("#gk-show")  # every agency, every year: a line per agency
    pg.wait_for_selector("#gk-line .vega-embed")
    pg.wait_for_selector("#gk-chart-legend .gk-legend-item")
    items = pg.locator("#gk-chart-legend .gk-legend-item")
    agencies = set(pg.locator("#gk-figures tbody tr td:first-child").all_inner_texts()) - {""}
    assert items.count() >= 12
    names = [items.nth(i).get_attribute("title") for i in range(items.count())]
    assert len(set(names)) == len(names) and set(names) >= {a.strip() for a in agencies if a.strip()}
    boxes = [items.nth(i).bounding_box() for i in range(items.count())]
    frame = pg.locator("#gk-chart-legend").bounding_box()
    for i, a in enumerate(boxes):
        # inside the legend's box (nothing clipped at the side) ...
        assert frame["x"] - 1 <= a["x"] and a["x"] + a["width"] <= frame["x"] + frame["width"] + 1, names[i]
        for b in boxes[i + 1:]:  # ... and no two entries overlap
            apart = (a["x"] + a["width"] <= b["x"] + 0.5 or b["x"] + b["width"] <= a["x"] + 0.5
                     or a["y"] + a["height"] <= b["y"] + 0.5 or b["y"] + b["height"] <= a["y"] + 0.5)
            assert apart, (names[i], a, b)
    assert len({round(b["y"]) for b in boxes}) > 1  # it wraps onto several rows
    pg.screenshot(path=str(tmp_path / f"legend-{width}.png"), full_page=True)
    ctx.close()
    assert not outside, f"the page requested outside hosts: {outside}"
