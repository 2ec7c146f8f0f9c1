"""orjson codec for every topic value: `encode(model) -> bytes`, `decode(Model, bytes)`.

Errors: `DecodeError` (a `ValueError`) carries a short machine reason (`invalid_json`,
`invalid_utf8`, `schema`) used as the dead-letter reason; its message is the detail.
"""

from __future__ import annotations

from typing import TypeVar

import orjson
from pydantic import BaseModel, ValidationError

from schemas.deadletter import DeadLetterReason

__all__ = ["encode", "decode", "DecodeError"]

M = TypeVar("M", bound=BaseModel)


class DecodeError(ValueError):
    """A value that is not a valid message of the expected type."""

    def __init__(self, reason: DeadLetterReason, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def encode(model: BaseModel) -> bytes:
    """Serialise a model to compact JSON bytes."""
    return orjson.dumps(model.model_dump(mode="json"))


def decode(model: type[M], data: bytes | str) -> M:
    """Parse JSON bytes into `model`, raising `DecodeError` with a reason."""
    if isinstance(data, bytes | bytearray | memoryview):
        try:
            bytes(data).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise DecodeError("invalid_utf8", str(exc)) from None
    try:
        obj = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise DecodeError("invalid_json", str(exc)) from None
    if not isinstance(obj, dict):
        raise DecodeError("schema", f"expected a JSON object, got {type(obj).__name__}")
    try:
        return model.model_validate(obj)
    except ValidationError as exc:
        fields = ", ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '<root>'}: {err['msg']}"
            for err in exc.errors(include_url=False, include_input=False)[:5]
        )
        raise DecodeError("schema", fields) from None
