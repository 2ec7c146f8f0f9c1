"""Message contracts between the stages and with producers and consumers (pydantic v2)."""

from schemas.articles import CleanArticle, RawArticle, RawRef, Timing, derive_article_id
from schemas.base import SCHEMA_VERSION, Message
from schemas.codec import DecodeError, decode, encode
from schemas.deadletter import DeadLetter, Outcome
from schemas.entities import (
    Actor,
    CasualtyMention,
    DateMention,
    EventCandidate,
    ExtractedArticle,
    Place,
    Span,
    WatermarkTick,
)
from schemas.events import WINDOWS, ConflictEvent, RegionalTotal, SourceReport

__all__ = [
    "SCHEMA_VERSION",
    "WINDOWS",
    "Actor",
    "CasualtyMention",
    "CleanArticle",
    "ConflictEvent",
    "DateMention",
    "DeadLetter",
    "DecodeError",
    "EventCandidate",
    "ExtractedArticle",
    "Message",
    "Outcome",
    "Place",
    "RawArticle",
    "RawRef",
    "RegionalTotal",
    "SourceReport",
    "Span",
    "Timing",
    "WatermarkTick",
    "decode",
    "derive_article_id",
    "encode",
]
