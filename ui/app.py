"""The Gradio app: 对话 Chat for citizens, 数据 Figures and 报告 Reports for staff, 上传 Upload when allowed.

Only display lives here: answers come from rag.answer, tables from ui.data (the fact store), HTML from
ui.render (which escapes all report text).
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import gradio as gr
import pandas as pd

from gongkai.errors import GongkaiError
from ui import data as D
from ui.render import CSS, answer_html, error_html, esc, legend_html, series_colors

log = logging.getLogger(__name__)

EXAMPLES = [
    "江镜镇2020年有几起信息公开行政诉讼？",
    "平潭2021年本年新收政府信息公开申请多少件？",
    "How many litigation cases did Pingtan have in 2021?",
    "平潭2023年存在的主要问题是什么？",
    "How many new information disclosure requests did Shuyang receive in 2025?",
    "上海市科委2024年主动公开了哪些信息？",
]
ALL = ""  # the "no filter" value of the agency/year dropdowns
DEFAULT_METRIC = "table3.new.total"
BAR_LABELS_MAX = 4  # more bars than this: no agency names under them (too long to fit), the legend names them

# System fonts only: no font is fetched from any other host (the Default theme's fonts are local files
# served by Gradio itself, but CJK needs the system's Noto CJK anyway).
FONTS = ["system-ui", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "sans-serif"]
MONO = ["ui-monospace", "Noto Sans Mono CJK SC", "monospace"]


def theme() -> gr.themes.Base:
    return gr.themes.Default(font=FONTS, font_mono=MONO)


class Answers:
    """One Answerer per process, built on first use (loading the model takes seconds) or by warm()."""

    def __init__(self, home: Path, factory=None):
        self.home = home
        self._factory = factory
        self._answerer = None
        self._lock = threading.Lock()

    def get(self):
        with self._lock:
            if self._answerer is None:
                if self._factory is None:
                    from rag.answer import Answerer

                    self._factory = Answerer
                self._answerer = self._factory(home=self.home)
            return self._answerer

    def reset(self) -> None:
        """Make the next question see newly ingested reports."""
        with self._lock:
            refresh = getattr(self._answerer, "refresh", None)
            if refresh is None:
                self._answerer = None
            else:
                refresh()

    def warm(self) -> None:
        def run():
            try:
                self.get()
            except Exception:  # the first question will report it to the user
                log.exception("warming up the answerer failed")

        threading.Thread(target=run, name="gongkai-warm", daemon=True).start()


def _filters(store) -> tuple[list, list]:
    agencies, years = D.filter_choices(store)
    return ([("全部机构 all agencies", ALL)] + [(a, a) for a in agencies],
            [("全部年份 all years", ALL)] + [(str(y), str(y)) for y in years])


def build_app(home: Path, allow_upload: bool = False, answers: Answers | None = None) -> gr.Blocks:
    """Return the Blocks app over the store in `home` (launch it with launch_kwargs())."""
    answers = answers or Answers(home)
    store = D.open_store(home)
    agency_choices, year_choices = _filters(store)

    def respond(message: str, history: list, agency: str, year: str):
        message = (message or "").strip()
        history = list(history or [])
        if not message:
            yield history, ""
            return
        history.append({"role": "user", "content": esc(message)})
        yield history + [{"role": "assistant", "content": "<i>正在查找… searching the reports…</i>"}], ""
        try:
            a = answers.get().ask(message, agency=agency or None, year=int(year) if year else None)
            html = answer_html(a)
        except GongkaiError as e:
            html = error_html(str(e))
        except Exception as e:  # show a clean message; the traceback goes to the server log
            log.exception("answering %r failed", message)
            html = error_html(f"内部错误 internal error: {type(e).__name__}")
        yield history + [{"role": "assistant", "content": html}], ""

    def show_figures(key: str, agencies: list[str], years: list[str]):
        if not key:
            raise gr.Error("请选择指标 pick a metric")
        df = D.figures(store, key, agencies or None, [int(y) for y in years or []] or None)
        plot, kind = D.chart_frame(df)
        path = D.write_csv(df, home, key)
        title = D.metric_label(key)
        # the plot's own legend is off (one clipped row that overlaps itself with many agencies): the same
        # colours are named by a wrapping HTML legend under it
        colors = series_colors(plot[D.C_AGENCY])
        line = gr.update(value=plot if kind == "line" else None, visible=kind == "line", title=title,
                         color_map=colors)
        bar = gr.update(value=plot if kind == "bar" else None, visible=kind == "bar", title=title, color_map=colors,
                        x_axis_labels_visible=len(colors) <= BAR_LABELS_MAX)
        legend = gr.update(value=legend_html(colors, D.C_AGENCY), visible=bool(colors))
        return df, line, bar, legend, str(path)

    def show_audit():
        df = D.audit_frame(store)
        msg = (f"{df['报告 report'].nunique()} 份报告有 {len(df)} 处勾稽不符 · {len(df)} identity failures"
               if len(df) else "所有已入库报告的勾稽关系均通过 · every stored report passes its arithmetic checks")
        return df, msg

    def show_report(rid: str):
        r = store.load(rid) if rid else None
        if r is None:
            empty = pd.DataFrame()
            return "", empty, empty, empty, ""
        return (D.report_summary(r), D.table2_frame(r), D.table3_frame(r), D.table4_frame(r), r.text)

    def refresh_lists():
        a, y = _filters(store)
        agencies = [v for _, v in a if v]
        years = [v for _, v in y if v]
        return (gr.update(choices=a), gr.update(choices=y), gr.update(choices=agencies), gr.update(choices=years),
                D.reports_frame(store), gr.update(choices=D.report_choices(store)))

    with gr.Blocks(title="政府信息公开年报问答 gongkai", analytics_enabled=False) as demo:
        gr.Markdown("## 政府信息公开工作年度报告 · 问答与数据\nAnswers about government information disclosure "
                    "annual reports, with the report passages they come from.")
        with gr.Tabs():
            with gr.Tab("对话 Chat", id="chat"):
                with gr.Row():
                    f_agency = gr.Dropdown(agency_choices, value=ALL, label="机构 Agency（可选 optional）",
                                           elem_id="gk-agency")
                    f_year = gr.Dropdown(year_choices, value=ALL, label="年份 Year（可选 optional）",
                                         elem_id="gk-year")
                chat = gr.Chatbot(label="对话 Chat", height=520, elem_id="gk-chat", latex_delimiters=[],
                                  feedback_options=None, buttons=[],
                                  placeholder="请提问，例如：江镜镇2020年有几起信息公开行政诉讼？")
                with gr.Row():
                    msg = gr.Textbox(placeholder="输入问题 Ask a question about the reports…", show_label=False,
                                     scale=8, elem_id="gk-question", autofocus=True)
                    send = gr.Button("提问 Ask", variant="primary", scale=1, elem_id="gk-ask")
                gr.Examples(EXAMPLES, inputs=[msg], label="示例问题（来自随附报告）Examples from the bundled reports")
                clear = gr.Button("清空 Clear", size="sm")
                msg.submit(respond, [msg, chat, f_agency, f_year], [chat, msg], api_name="ask")
                send.click(respond, [msg, chat, f_agency, f_year], [chat, msg], api_name=False)
                clear.click(lambda: ([], ""), None, [chat, msg], api_name=False)

            with gr.Tab("数据 Figures", id="figures"):
                agencies, years = D.filter_choices(store)
                with gr.Row():
                    metric = gr.Dropdown(D.metrics(), value=DEFAULT_METRIC, label="指标 Metric（模板单元格 template cell）",
                                         scale=3, elem_id="gk-metric")
                    f_agencies = gr.Dropdown(agencies, multiselect=True, label="机构 Agencies（空=全部 empty = all）",
                                             scale=2, elem_id="gk-agencies")
                    f_years = gr.Dropdown([str(y) for y in years], multiselect=True,
                                          label="年份 Years（空=全部 empty = all）", scale=2, elem_id="gk-years")
                show = gr.Button("查询 Show", variant="primary", elem_id="gk-show")
                line = gr.LinePlot(x=D.C_YEAR, y=D.C_VALUE, color=D.C_AGENCY, label="按年份 over years",
                                   elem_id="gk-line", visible=False, height=360, colors_in_legend=[])
                bar = gr.BarPlot(x=D.C_AGENCY, y=D.C_VALUE, color=D.C_AGENCY, label="按机构 across agencies",
                                 elem_id="gk-bar", visible=False, height=360, colors_in_legend=[],
                                 y_lim=[0, None])  # bars from zero (else equal values draw no bar at all)
                legend = gr.HTML(elem_id="gk-chart-legend", visible=False)
                table = gr.Dataframe(label="数值与来源 Values and sources", interactive=False, wrap=True,
                                     elem_id="gk-figures")
                csv_file = gr.File(label="CSV（与上表一致 exactly the table above）", interactive=False,
                                   elem_id="gk-csv")
                show.click(show_figures, [metric, f_agencies, f_years], [table, line, bar, legend, csv_file],
                           api_name="figures")
                gr.Markdown("### 勾稽核对 Audit\n报告自身算术不符的表格（表内与跨年） · reports whose own "
                            "arithmetic fails, within a report and across years")
                audit_msg = gr.Textbox(show_label=False, interactive=False, elem_id="gk-audit-msg")
                audit = gr.Dataframe(interactive=False, wrap=True, elem_id="gk-audit")
                audit_btn = gr.Button("重新核对 Re-check", size="sm")
                audit_btn.click(show_audit, None, [audit, audit_msg], api_name=False)

            with gr.Tab("报告 Reports", id="reports"):
                reports = gr.Dataframe(D.reports_frame(store), label="已入库报告 Ingested reports",
                                       interactive=False, wrap=True, elem_id="gk-reports")
                # the first report is selected and shown at once (not placeholder tables until a change)
                choices = D.report_choices(store)
                first = choices[0][1] if choices else None
                shown = show_report(first)
                with gr.Row():
                    pick = gr.Dropdown(choices, value=first, label="查看报告 View a report", scale=4,
                                       elem_id="gk-pick")
                    refresh = gr.Button("刷新 Refresh", size="sm", scale=1)
                summary = gr.Textbox(shown[0], label="概况 Summary", interactive=False, lines=2,
                                     elem_id="gk-summary")
                with gr.Row():
                    with gr.Column(scale=3):
                        t3 = gr.Dataframe(shown[2], label="表三 " + D.T.TABLE_TITLES["table3"], interactive=False,
                                          wrap=True, elem_id="gk-t3", column_widths=["34%"] + ["9.4%"] * 7,
                                          max_height=420)
                        t4 = gr.Dataframe(shown[3], label="表四 " + D.T.TABLE_TITLES["table4"], interactive=False,
                                          wrap=True, elem_id="gk-t4")
                        t2 = gr.Dataframe(shown[1], label="表二 " + D.T.TABLE_TITLES["table2"], interactive=False,
                                          wrap=True, elem_id="gk-t2", max_height=360)
                    with gr.Column(scale=2):
                        # a Textbox shows the report exactly as text: markup in a report is never rendered
                        source = gr.Textbox(shown[4], label="原文 Source text", interactive=False, lines=36,
                                            max_lines=36, elem_id="gk-source-text")
                pick.change(show_report, pick, [summary, t2, t3, t4, source], api_name="report")
                refresh.click(refresh_lists, None, [f_agency, f_year, f_agencies, f_years, reports, pick],
                              api_name=False)

            if allow_upload:
                from ui.ingest_tab import upload_tab

                upload_tab(home, answers, lambda: refresh_lists(),
                           [f_agency, f_year, f_agencies, f_years, reports, pick])

        demo.load(show_audit, None, [audit, audit_msg], api_name=False)
        # and again on each page load, so a report re-ingested since start-up is shown as it is now
        demo.load(show_report, pick, [summary, t2, t3, t4, source], api_name=False)
    return demo


def launch_kwargs(home: Path, host: str, port: int, auth: tuple[str, str] | None) -> dict:
    """Return the launch() settings: loopback by default, no share link, local fonts, exports servable."""
    exports = home / "exports"
    exports.mkdir(parents=True, exist_ok=True)
    return {"server_name": host, "server_port": port, "share": False, "auth": auth, "inbrowser": False,
            "show_error": True, "allowed_paths": [str(exports)], "max_file_size": "50mb", "ssr_mode": False,
            "mcp_server": False, "theme": theme(), "css": CSS, "footer_links": ["settings"], "quiet": False}
