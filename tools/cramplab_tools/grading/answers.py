"""Answer values between the student's kernel and the grader: tagged JSON, never pickle.

The kernel runs untrusted code, so what it sends back must be data the grader can read without
running anything: JSON numbers, text, lists and dicts, with a small tag for what JSON lacks
(tuple, set, NaN, NumPy numbers and arrays, pandas objects via ``to_json(orient="split")``,
and the course's own result dataclasses such as ``plan.Menu``, rebuilt field by field from an
allowlist). Anything else is sent as ``{"__kind__": "unsupported", "type": ...}`` and decoded
to an ``Unsupported`` value, which a self-check reports as the wrong kind of answer.
"""

from __future__ import annotations

import dataclasses
import io
import json
import math
from typing import Any

import numpy as np
import pandas as pd

TAG = "__kind__"
MAX_DEPTH = 20
MAX_CHARS = 5_000_000  # a payload longer than this is refused (a student's huge answer)


@dataclasses.dataclass(frozen=True)
class Unsupported:
    """A value the kernel could not send as data: only its type name arrives."""

    type_name: str

    def __repr__(self) -> str:
        return f"<{self.type_name}>"


def _dataclasses() -> dict[str, type]:
    """The course's result types an answer may be, by qualified name (the allowlist)."""
    from cramplab import plan

    return {f"{cls.__module__}.{cls.__qualname__}": cls for cls in (plan.Menu, plan.Targets)}


def encode(value: Any, depth: int = 0) -> Any:
    """A JSON-able form of value (see the module docstring)."""
    if depth > MAX_DEPTH:
        return {TAG: "unsupported", "type": "too deeply nested"}
    if value is ...:
        return {TAG: "ellipsis"}
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return value if abs(value) < 2**63 else {TAG: "bigint", "text": str(value)}
    if isinstance(value, float):
        return value if math.isfinite(value) else {TAG: "float", "text": repr(value)}
    if isinstance(value, np.generic):
        return {TAG: "numpy", "dtype": value.dtype.str, "value": encode(value.item(), depth + 1)}
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "biufUO" or value.size > 100_000:
            return {TAG: "unsupported", "type": f"numpy array of {value.dtype}"}
        return {
            TAG: "ndarray",
            "dtype": value.dtype.str,
            "items": [encode(item, depth + 1) for item in value.tolist()],
        }
    if isinstance(value, pd.DataFrame | pd.Series):
        kind = "dataframe" if isinstance(value, pd.DataFrame) else "series"
        return {
            TAG: kind,
            "json": value.to_json(orient="split", date_format="iso", double_precision=15),
            "dtypes": (
                {str(c): str(t) for c, t in value.dtypes.items()}
                if kind == "dataframe"
                else str(value.dtype)
            ),
            "index_dtype": str(value.index.dtype),
            "name": encode(getattr(value, "name", None), depth + 1),
            "columns_name": encode(getattr(value.columns, "name", None), depth + 1)
            if kind == "dataframe"
            else None,
        }
    if isinstance(value, pd.Index):
        return {TAG: "index", "series": encode(pd.Series(value.array), depth + 1)}
    if isinstance(value, tuple | list | set | frozenset):
        kind = {tuple: "tuple", set: "set", frozenset: "set"}.get(type(value), "list")
        items = [encode(item, depth + 1) for item in value]
        return items if kind == "list" else {TAG: kind, "items": items}
    if isinstance(value, dict):
        return {
            TAG: "dict",
            "items": [[encode(k, depth + 1), encode(v, depth + 1)] for k, v in value.items()],
        }
    name = f"{type(value).__module__}.{type(value).__qualname__}"
    if dataclasses.is_dataclass(value) and name in _dataclasses():
        fields = {
            f.name: encode(getattr(value, f.name), depth + 1) for f in dataclasses.fields(value)
        }
        return {TAG: "dataclass", "type": name, "fields": fields}
    return {TAG: "unsupported", "type": type(value).__name__}


def dumps(values: dict[str, Any]) -> str:
    """The answer variables (name -> value) as one line of JSON."""
    return json.dumps({name: encode(value) for name, value in values.items()}, allow_nan=False)


def _frame(item: dict) -> pd.DataFrame | pd.Series:
    typ = "frame" if item[TAG] == "dataframe" else "series"
    value = pd.read_json(io.StringIO(item["json"]), orient="split", typ=typ, dtype=False)
    try:
        if typ == "frame":
            value = value.astype(item["dtypes"])
            value.columns.name = decode(item.get("columns_name"))
        else:
            value = value.astype(item["dtypes"])
            value.name = decode(item.get("name"))
        if item["index_dtype"] != "object" or len(value.index) == 0:
            value.index = value.index.astype(item["index_dtype"])
    except (TypeError, ValueError):
        pass  # the closest form read_json gives is still the student's values
    return value


def decode(item: Any, depth: int = 0) -> Any:
    """The value encode() described (built from data only: nothing is executed)."""
    if depth > MAX_DEPTH + 2:
        return Unsupported("too deeply nested")
    if isinstance(item, list):
        return [decode(x, depth + 1) for x in item]
    if not isinstance(item, dict):
        return item
    kind = item.get(TAG)
    if kind == "ellipsis":
        return ...
    if kind == "bigint":
        return int(item["text"])
    if kind == "float":
        return float(item["text"])
    if kind == "numpy":
        return np.dtype(item["dtype"]).type(decode(item["value"], depth + 1))
    if kind == "ndarray":
        return np.array(
            [decode(x, depth + 1) for x in item["items"]], dtype=np.dtype(item["dtype"])
        )
    if kind in ("dataframe", "series"):
        return _frame(item)
    if kind == "index":
        return pd.Index(decode(item["series"], depth + 1))
    if kind == "tuple":
        return tuple(decode(x, depth + 1) for x in item["items"])
    if kind == "set":
        return {decode(x, depth + 1) for x in item["items"]}
    if kind == "dict":
        return {_hashable(decode(k, depth + 1)): decode(v, depth + 1) for k, v in item["items"]}
    if kind == "dataclass":
        cls = _dataclasses().get(item.get("type"))
        if cls is None:
            return Unsupported(str(item.get("type")))
        fields = {name: decode(value, depth + 1) for name, value in item["fields"].items()}
        if "energy" in fields and isinstance(fields["energy"], list):
            fields["energy"] = tuple(fields["energy"])
        try:
            return cls(**fields)
        except TypeError:
            return Unsupported(cls.__name__)
    if kind == "unsupported":
        return Unsupported(str(item.get("type")))
    return Unsupported("unknown")


def _hashable(key: Any) -> Any:
    return tuple(key) if isinstance(key, list) else key


def loads(text: str) -> dict[str, Any]:
    """The answer variables dumps() wrote; ValueError for anything that is not such a payload."""
    if len(text) > MAX_CHARS:
        raise ValueError(f"answer payload of {len(text):,} characters is too long")
    payload = json.loads(text)
    if not isinstance(payload, dict):
        raise ValueError("answer payload is not a JSON object")
    return {str(name): decode(value) for name, value in payload.items()}
