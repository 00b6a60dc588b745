"""Split digit runs whose cells were concatenated ("640020470" → 64 0 0 2 0 4 70).

Runs are split into exactly n cells; candidates are then filtered by the template's identities by
the callers. No cell may have a leading zero unless it is "0".
"""

from __future__ import annotations

from functools import lru_cache

MAX_CANDIDATES = 20000


def _ok(cell: str) -> bool:
    if cell.startswith("-"):  # a sign stays on the first cell of its run
        cell = cell[1:]
    return bool(cell) and (cell == "0" or cell[0] != "0" or "." in cell[:2])


@lru_cache(maxsize=4096)
def _split_one(run: str, k: int) -> tuple[tuple[str, ...], ...]:
    """All splits of one run into k valid cells (a decimal point stays inside one cell)."""
    if k == 1:
        return ((run,),) if _ok(run) else ()
    out = []
    for i in range(1, len(run) - k + 2):
        head = run[:i]
        if not _ok(head) or head.endswith(".") or head == "-" or run[i:i + 1] == ".":
            continue
        for rest in _split_one(run[i:], k - 1):
            out.append((head, *rest))
            if len(out) > MAX_CANDIDATES:
                return tuple(out)
    return tuple(out)


def splits(runs: list[str], n: int) -> list[tuple[str, ...]]:
    """Return every way to cut `runs` (in order) into exactly n cells."""
    runs = [r for r in runs if r]
    if not runs:
        return []
    lengths = [len(r.replace(".", "")) for r in runs]
    if sum(lengths) < n or len(runs) > n:
        return []
    results: list[tuple[str, ...]] = []

    def rec(i: int, left: int, acc: tuple[str, ...]) -> None:
        if len(results) > MAX_CANDIDATES:
            return
        if i == len(runs):
            if left == 0:
                results.append(acc)
            return
        remaining_runs = len(runs) - i - 1
        max_k = min(lengths[i], left - remaining_runs)
        for k in range(1, max_k + 1):
            for parts in _split_one(runs[i], k):
                rec(i + 1, left - k, acc + parts)

    rec(0, n, ())
    return results
