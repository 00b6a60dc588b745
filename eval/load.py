"""Load test of `gongkai serve`: N concurrent chat sessions asking gold questions for a bounded time.

    python -m eval.load --url http://127.0.0.1:7860/ [--sessions 20] [--seconds 30] [--gold DIR]

Each session is a thread that talks to the chat endpoint (`api_name="ask"`) over Gradio's HTTP API
(POST /gradio_api/call/ask, then GET the event stream), keeps its own chat history like a browser tab,
and asks the gold table questions in turn (each session starts at a different one). Every answer's figure
is compared with the gold value. Prints answers, errors, wrong answers and p50/p95 latency; exits 1 when
any answer failed or was wrong.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

_VALUE = re.compile(r'<span class="gk-value">([^<]*)</span>')


@dataclass(frozen=True)
class Question:
    text: str
    want: Decimal  # the gold figure
    report_id: str


@dataclass
class Result:
    sessions: int
    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    @property
    def answers(self) -> int:
        return len(self.latencies)

    def percentile(self, p: float) -> float:
        xs = sorted(self.latencies)
        if not xs:
            return float("nan")
        return xs[min(len(xs) - 1, max(0, round(p / 100 * len(xs) + 0.5) - 1))]

    def line(self) -> str:
        return (f"{self.sessions} sessions · {self.seconds:.0f} s · {self.answers} answers "
                f"({self.answers / max(self.seconds, 1e-9):.1f}/s) · {len(self.errors)} errors · "
                f"{len(self.wrong)} wrong · latency p50 {self.percentile(50):.2f} s, p95 {self.percentile(95):.2f} s, "
                f"max {max(self.latencies, default=float('nan')):.2f} s")


def number(s: str) -> Decimal | None:
    """Return the figure of a printed value ("1,282", "24252.311082", "１２") as Decimal."""
    import unicodedata

    t = unicodedata.normalize("NFKC", html.unescape(s)).replace(",", "").strip()
    m = re.search(r"-?\d+(?:\.\d+)?", t)
    try:
        return Decimal(m.group()) if m else None
    except InvalidOperation:
        return None


def gold_questions(gold_dir: Path, report_ids: set[str] | None = None) -> list[Question]:
    """Return the table questions of the gold files (of the given reports) with a numeric answer."""
    out = []
    for p in sorted(Path(gold_dir).glob("*.json")):
        g = json.loads(p.read_text(encoding="utf-8"))
        if report_ids is not None and g["id"] not in report_ids:
            continue
        for qa in g.get("qa", []):
            want = number(str(qa.get("a", "")))
            if qa.get("type") == "table" and want is not None:
                out.append(Question(qa["q"], want, g["id"]))
    return out


def ask(url: str, message: str, history: list | None = None, timeout: float = 120) -> tuple[list, float]:
    """Ask the chat once over HTTP; return (the new chat history, seconds)."""
    base = url.rstrip("/")
    t0 = time.perf_counter()
    body = json.dumps({"data": [message, history or [], "", ""]}).encode()
    req = urllib.request.Request(f"{base}/gradio_api/call/ask", data=body,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        event_id = json.loads(r.read())["event_id"]
    event, last = None, None
    with urllib.request.urlopen(f"{base}/gradio_api/call/ask/{event_id}", timeout=timeout) as r:
        for raw in r:
            line = raw.decode("utf-8").rstrip("\n")
            if line.startswith("event:"):
                event = line[6:].strip()
            elif line.startswith("data:"):
                data = line[5:].strip()
                if event == "error":
                    raise RuntimeError(f"server error: {data[:300]}")
                if event in ("generating", "complete") and data not in ("", "null"):
                    last = json.loads(data)
                if event == "complete":
                    break
    if event != "complete" or not last:
        raise RuntimeError(f"stream ended without a complete event (last event {event!r})")
    return last[0], time.perf_counter() - t0


def answer_value(history: list) -> Decimal | None:
    """Return the figure shown in the newest assistant message of a chat history."""
    content = history[-1]["content"] if history else ""
    if isinstance(content, list):  # Gradio may wrap message content as [{"type": "text", "text": ...}]
        content = "".join(c.get("text", "") if isinstance(c, dict) else str(c) for c in content)
    m = _VALUE.search(str(content))
    return number(m.group(1)) if m else None


def run(url: str, questions: list[Question], sessions: int = 20, seconds: float = 30,
        until=None, max_seconds: float = 600) -> Result:
    """Run `sessions` chat sessions for `seconds` (and then while `until()` is false, up to max_seconds)."""
    if not questions:
        raise ValueError("no questions")
    res = Result(sessions, 0.0)
    lock = threading.Lock()
    t0 = time.perf_counter()

    def going() -> bool:
        t = time.perf_counter() - t0
        return t < max_seconds and (t < seconds or (until is not None and not until()))

    def session(k: int) -> None:
        history: list = []
        i = k
        while going():
            q = questions[i % len(questions)]
            i += 1
            try:
                history, dt = ask(url, q.text, history)
            except Exception as e:  # noqa: BLE001 — every failure is a finding of the load test
                with lock:
                    res.errors.append(f"{q.text}: {type(e).__name__}: {e}")
                history = []
                continue
            got = answer_value(history)
            with lock:
                res.latencies.append(dt)
                if got != q.want:
                    res.wrong.append(f"{q.text}: got {got}, gold {q.want} ({q.report_id})")

    threads = [threading.Thread(target=session, args=(k,), name=f"load-{k}") for k in range(sessions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    res.seconds = time.perf_counter() - t0
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eval.load", description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", default="http://127.0.0.1:7860/")
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--gold", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "corpus" / "gold")
    ap.add_argument("--reports", nargs="*", help="only the gold questions of these report ids")
    a = ap.parse_args(argv)
    qs = gold_questions(a.gold, set(a.reports) if a.reports else None)
    if not qs:
        print(f"no gold table questions in {a.gold}", file=sys.stderr)
        return 2
    res = run(a.url, qs, a.sessions, a.seconds)
    for line in res.errors[:20] + res.wrong[:20]:
        print(line, file=sys.stderr)
    print(res.line())
    return 1 if res.errors or res.wrong else 0


if __name__ == "__main__":
    sys.exit(main())
