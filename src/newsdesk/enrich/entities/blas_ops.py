"""Matrix products of the spaCy NER through numpy's BLAS, on one thread.

spaCy's networks multiply their matrices with ``blis``, whose wheels pick their kernel from the
processor's identity: on a processor they do not know (seen: AMD EPYC, family 25, in a virtual
machine) they take the generic kernel, half the speed of numpy's OpenBLAS on the same core. The
NER's token-to-vector layers are most of that work, so a pipeline's layers get
:class:`NumpyBlasOps`, which multiplies with ``numpy.matmul``. The products are the same up to
float rounding (the benchmark's mentions were compared one by one: identical).

Each product runs on one thread, as the other models do: the pipeline runs one process per core.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np
from thinc.api import Model, NumpyOps

_lock = threading.Lock()
_controller: Any = None


def _one_thread() -> Any:
    """A context in which numpy's BLAS uses one thread (the controller found once per process)."""
    global _controller
    with _lock:
        if _controller is None:
            from threadpoolctl import ThreadpoolController

            _controller = ThreadpoolController()
    return _controller.limit(limits=1, user_api="blas")


class NumpyBlasOps(NumpyOps):
    """thinc's CPU operations with ``gemm`` done by numpy's BLAS."""

    name = "numpy-blas"

    def gemm(  # type: ignore[override]
        self,
        x: np.ndarray,
        y: np.ndarray,
        out: np.ndarray | None = None,
        trans1: bool = False,
        trans2: bool = False,
    ) -> np.ndarray:
        """``x @ y`` (either transposed first), into ``out`` when given."""
        a = x.T if trans1 else x
        b = y.T if trans2 else y
        with _one_thread():
            if out is None:
                return np.matmul(a, b)
            np.matmul(a, b, out=out)
        return out


OPS = NumpyBlasOps()


def use_numpy_blas(nlp: Any) -> None:
    """Give every layer of the pipeline's components the numpy BLAS operations, in place."""
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if isinstance(model, Model):
            model._to_ops(OPS)
