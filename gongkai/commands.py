"""Registration of the store, answer, server and evaluation commands."""

from __future__ import annotations


def register(sub) -> None:
    """Add ingest/reports/ask/serve/eval subcommands (each module adds its own)."""
    for modname in ("index.cli", "rag.cli", "ui.cli", "eval.cli"):
        try:
            mod = __import__(modname, fromlist=["register"])
        except ModuleNotFoundError as e:
            if e.name == modname:
                continue
            raise
        mod.register(sub)
