"""How an events partition's state is laid out in the Faust table (and its changelog).

One entry per candidate (`p<n>:c:<article>#<index>`), one per event (`p<n>:e:<event id>`:
`<offset>|` and its latest revision, the offset being that of the input whose step wrote
it), one per region with evicted events (`p<n>:a:<CC/Admin1>`: what they counted, and the
last day of eviction that includes) and one for the watermarks (`p<n>:meta`: the latest
published day seen, each source partition's mark and the floor up to which the state has
evicted; an entry of the first layouts, with the watermark alone, reads as a floor at the
horizon of that watermark, where they evicted and refused). What totals were sent is not
stored: after a load every total is sent again (`EventState.resend`). After each message
only the entries that changed are written (evicted candidates and events are deleted), in
the order `writes` gives, so a message costs the size of what it changed, not the size of
the partition; the worker keeps the decoded state in memory and rebuilds it from the
entries when it (re)gains a partition.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from pydantic import BaseModel, ConfigDict

from schemas import ConflictEvent
from streams.events import EventState, Reported, Step, horizon, lean
from streams.totals import Archived

__all__ = ["changed_entries", "load_state", "prefix", "writes"]


class _Meta(BaseModel):
    model_config = ConfigDict(extra="forbid")

    watermark: date | None = None
    sources: dict[int, date] = {}  # source partition of articles.clean -> the latest published day read from it
    floor: date | None = None  # absent in the first layouts: see `state_floor`
    emitted: dict[str, str] = {}  # the first layout's digests of the totals sent (ignored now)

    def state_floor(self) -> date | None:
        """The floor: as written, or, in an entry of the first layouts (no `floor` field), the
        horizon of the watermark, before which those evicted and refused everything."""
        if "floor" in self.model_fields_set or self.watermark is None:
            return self.floor
        return horizon(self.watermark)


def prefix(partition: int) -> str:
    return f"p{partition}:"


def load_state(partition: int, entries: Iterable[tuple[bytes, bytes]], sources: int = 1) -> EventState:
    """The partition's state from table entries (entries of other partitions are ignored);
    `sources`: the partitions of articles.clean, whose marks make the low watermark."""
    head = prefix(partition).encode()
    candidates: dict[str, Reported] = {}
    events: dict[str, ConflictEvent] = {}
    written: dict[str, int] = {}
    archive: dict[str, Archived] = {}
    meta = _Meta()
    for key, value in entries:
        if not key.startswith(head):
            continue
        name = key[len(head) :].decode()
        kind, _, rest = name.partition(":")
        if kind == "c":
            reported = Reported.model_validate_json(value)
            lean(reported.candidate)
            candidates[rest] = lean(reported)  # at once: a whole partition's fields-sets would pile up
        elif kind == "e":
            at, _, body = value.partition(b"|") if not value.startswith(b"{") else (b"-1", b"", value)
            event = ConflictEvent.model_validate_json(body)
            for report in event.reports:
                lean(report)
            events[rest] = lean(event)
            written[rest] = int(at)
        elif kind == "a":
            archive[rest] = Archived.model_validate_json(value)
        elif name == "meta":
            meta = _Meta.model_validate_json(value)
    state = EventState(meta.watermark, candidates, events, None, archive, sources=sources, marks=meta.sources,
                       floor=meta.state_floor())  # fmt: skip
    state.written = written
    return state


def writes(partition: int, state: EventState, step: Step, offset: int = -1) -> list[tuple[bytes, bytes | None]]:
    """The table writes after `step` (the step of the input at `offset`, updated `state`),
    in the order to make them (a value of None deletes the key): what is new first
    (candidates, event revisions, archives), then the events and candidates that left, and
    the watermarks last. A crash keeps a prefix of them (the changelog is sent in order),
    and the input comes again: whatever prefix the state was rebuilt from, no event refers
    to a candidate that is gone, an archive already holding an eviction does not take it
    twice (`Archived.through`), and the eviction is replayed from the old floor."""
    puts, deletes = changed_entries(partition, state, step, offset)
    meta = f"{prefix(partition)}meta".encode()
    ops: list[tuple[bytes, bytes | None]] = [(k, v) for k, v in puts.items() if k != meta]
    ops += [(key, None) for key in deletes]
    if meta in puts:
        ops.append((meta, puts[meta]))
    return ops


def changed_entries(
    partition: int, state: EventState, step: Step, offset: int = -1
) -> tuple[dict[bytes, bytes], list[bytes]]:
    """The entries to write and to delete after `step`, the step of the input at `offset`,
    updated `state` (the order to write them in: `writes`)."""
    head = prefix(partition)
    puts: dict[bytes, bytes] = {}
    for key in step.put:
        puts[f"{head}c:{key}".encode()] = state.candidates[key].model_dump_json().encode()
    for eid in step.written:
        puts[f"{head}e:{eid}".encode()] = f"{offset}|".encode() + state.events[eid].model_dump_json().encode()
    for key in step.archived:
        puts[f"{head}a:{key}".encode()] = state.archive[key].model_dump_json().encode()
    if step.meta:
        meta = _Meta(watermark=state.watermark, sources=state.marks, floor=state.floor)
        puts[f"{head}meta".encode()] = meta.model_dump_json(exclude={"emitted"}).encode()
    deletes = [f"{head}e:{eid}".encode() for eid in sorted(step.evicted)]  # events before their candidates
    deletes += [f"{head}c:{key}".encode() for key in sorted(step.dropped - step.put)]
    return puts, deletes
