"""The 上传 Upload tab (only with `gongkai serve --allow-upload`): save uploads, ingest them one by one."""

from __future__ import annotations

import logging
from pathlib import Path

import gradio as gr
import pandas as pd

from gongkai.errors import GongkaiError
from index.readers import SUFFIXES
from ui.upload import MAX_BYTES, save_uploads

log = logging.getLogger(__name__)
RESULT_COLUMNS = ["文件 file", "结果 result", "说明 details"]


def _describe(summary, folder: Path) -> tuple[str, str]:
    """Return (result, details) for what index.ingest.ingest did with one file."""
    if summary.failed:
        reasons = "; ".join(reason for _, reason in summary.failed)
        return "✗ 失败 failed", reasons.replace(str(folder) + "/", "")  # no server paths on the page
    if summary.added or summary.replaced:
        rid = (summary.added or summary.replaced)[0]
        verb = "已导入 added" if summary.added else "已更新 replaced"
        return f"✓ {verb}", f"报告 report {rid} · {summary.chunks} 个片段 chunks · {summary.seconds:.1f} s"
    if summary.unchanged:
        return "✓ 已存在 already stored", f"相同内容已入库 same content already stored as {summary.unchanged[0]}"
    return "✗ 失败 failed", "未导入 nothing ingested (not a report file?)"


def ingest_files(files: list, home: Path, progress=None) -> pd.DataFrame:
    """Save and ingest uploaded files; return one result row per file (errors included)."""
    from index.ingest import ingest

    pairs = []
    for f in files or []:
        tmp = getattr(f, "name", f)  # gradio gives temp file paths
        orig = getattr(f, "orig_name", None) or Path(str(tmp)).name
        pairs.append((orig, tmp))
    saved = save_uploads(pairs, home)
    rows = []
    todo = [s for s in saved if s.path is not None]
    rows += [[s.name, "✗ 拒绝 refused", s.error] for s in saved if s.path is None]
    for i, s in enumerate(todo):
        if progress is not None:
            progress((i, len(todo)), desc=f"导入 ingesting {s.name}")
        try:
            rows.append([s.name, *_describe(ingest([s.path], home=home, progress=False), s.path.parent)])
        except GongkaiError as e:
            rows.append([s.name, "✗ 失败 failed", str(e).replace(str(s.path.parent) + "/", "")])
        except Exception as e:  # one bad file must not stop the batch
            log.exception("ingesting %s failed", s.path)
            rows.append([s.name, "✗ 失败 failed", f"内部错误 internal error: {type(e).__name__}: {e}"])
    return pd.DataFrame(rows, columns=RESULT_COLUMNS)


def upload_tab(home: Path, answers, refresh, refresh_outputs: list) -> None:
    """Render the Upload tab inside the current Tabs; refresh() updates refresh_outputs after an ingest."""
    with gr.Tab("上传 Upload", id="upload"):
        gr.Markdown(f"上传年度报告（{' '.join(sorted(SUFFIXES))}，每个不超过 {MAX_BYTES // (1024 * 1024)} MB），"
                    "导入后即可提问。Upload annual reports; they are ingested and become searchable.")
        files = gr.File(file_count="multiple", file_types=sorted(SUFFIXES), label="报告文件 Report files",
                        elem_id="gk-upload")
        go = gr.Button("导入 Ingest", variant="primary", elem_id="gk-ingest")
        result = gr.Dataframe(headers=RESULT_COLUMNS, interactive=False, wrap=True, elem_id="gk-ingest-result")

        def run(fs, progress=gr.Progress()):  # noqa: B008 (Gradio injects the tracker through this default)
            if not fs:
                raise gr.Error("请先选择文件 choose files first")
            df = ingest_files(fs, home, progress)
            answers.reset()
            return (df, *refresh())

        go.click(run, files, [result, *refresh_outputs], api_name=False)
