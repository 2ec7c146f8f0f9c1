"""How an events partition's state is laid out in the Faust table (and its changelog).

One entry per candidate (`p<n>:c:<article>#<index>`), one per event (`p<n>:e:<event id>`,
its latest revision) and one for the rest (`p<n>:meta`: watermark and the digests of the
totals last emitted). After each message only the entries that changed are written, so a
message costs the size of what it changed, not the size of the partition; the worker keeps
the decoded state in memory and rebuilds it from the entries when it (re)gains a partition.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from pydantic import BaseModel, ConfigDict

from schemas import ConflictEvent
from streams.events import EventState, Reported

__all__ = ["changed_entries", "load_state", "prefix"]


class _Meta(BaseModel):
    model_config = ConfigDict(extra="forbid")

    watermark: date | None = None
    emitted: dict[str, str] = {}


def prefix(partition: int) -> str:
    return f"p{partition}:"


def load_state(partition: int, entries: Iterable[tuple[bytes, bytes]]) -> EventState:
    """The partition's state from table entries (entries of other partitions are ignored)."""
    head = prefix(partition).encode()
    candidates: dict[str, Reported] = {}
    events: dict[str, ConflictEvent] = {}
    meta = _Meta()
    for key, value in entries:
        if not key.startswith(head):
            continue
        name = key[len(head) :].decode()
        if name.startswith("c:"):
            candidates[name[2:]] = Reported.model_validate_json(value)
        elif name.startswith("e:"):
            events[name[2:]] = ConflictEvent.model_validate_json(value)
        elif name == "meta":
            meta = _Meta.model_validate_json(value)
    return EventState(watermark=meta.watermark, candidates=candidates, events=events, emitted=meta.emitted)


def changed_entries(
    partition: int, before: EventState, after: EventState, revisions: Iterable[ConflictEvent]
) -> tuple[dict[bytes, bytes], list[bytes]]:
    """The entries to write and to delete to go from `before` to `after` (`revisions`: the
    events that changed, as the events stage returned them)."""
    head = prefix(partition)
    puts: dict[bytes, bytes] = {}
    for key, reported in after.candidates.items():
        if before.candidates.get(key) is not reported:  # unchanged candidates are the same objects
            puts[f"{head}c:{key}".encode()] = reported.model_dump_json().encode()
    deletes = [f"{head}c:{key}".encode() for key in before.candidates.keys() - after.candidates.keys()]
    for event in revisions:
        puts[f"{head}e:{event.event_id}".encode()] = after.events[event.event_id].model_dump_json().encode()
    if (before.watermark, before.emitted) != (after.watermark, after.emitted):
        meta = _Meta(watermark=after.watermark, emitted=after.emitted)
        puts[f"{head}meta".encode()] = meta.model_dump_json().encode()
    return puts, deletes
