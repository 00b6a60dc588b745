"""Where data lives and the offline switches every entry point sets before importing ML libraries."""

from __future__ import annotations

import os
from pathlib import Path

OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "ANONYMIZED_TELEMETRY": "False",
    "ORT_DISABLE_TELEMETRY": "1",
    "TOKENIZERS_PARALLELISM": "false",
}


def set_offline() -> None:
    """Set the offline/no-telemetry environment (never overrides an explicit setting)."""
    for k, v in OFFLINE_ENV.items():
        os.environ.setdefault(k, v)


def data_home() -> Path:
    """Return the data folder: $GONGKAI_HOME, else ./.gongkai (created on demand)."""
    p = Path(os.environ.get("GONGKAI_HOME") or ".gongkai").resolve()
    p.mkdir(parents=True, exist_ok=True)
    return p


def bundled_reports() -> Path:
    """Return the folder of the bundled demo reports shipped with the repository."""
    return Path(__file__).resolve().parent.parent / "data" / "reports"


set_offline()
