"""Fixes for faust-streaming 0.15.3 bugs that lose messages (on any broker).

Found by the chaos test (tests/chaos, tests/integration/test_recovery.py): after a
restart, a worker skipped a run of 14-15 messages per partition of `articles.raw` and
committed past them, so those articles never reached the totals. Known upstream as
faust-streaming issues #596 (a race in recovery leaves gaps in the acked offsets) and
#606 (offsets committed past a message not processed):

1. `Recovery.on_recovery_completed` resumes the stream partitions *before* seeking them
   to their committed offsets, so the fetcher can read from a stale position first; the
   consumer then sees offsets jump. Fix: seek to the committed offsets while the stream
   partitions are still paused, then run Faust's own method.
2. The consumer takes any jump in offsets for a gap left by compaction or transaction
   markers and counts the missing offsets as processed (`_add_gap`). Our source topics
   are neither compacted nor transactional: a jump means skipped messages. Fix: record
   no gap; log it.
3. `_new_offset` commits a run of acked offsets that starts one past the committed offset
   (an off-by-one). Fix: commit only a run that starts exactly at the committed offset,
   so a message that was not processed is never committed over (at worst the commit
   waits, and a restart delivers the message again; every stage is idempotent).

`install_faust_fixes()` is called by `streams.agents.build_pipeline`; it is idempotent.
"""

from __future__ import annotations

import logging
from typing import Any

__all__ = ["install_faust_fixes", "strict_new_offset"]

log = logging.getLogger("tollwatch")
_installed = False


def strict_new_offset(acked: list[int], acked_index: set[int], committed: int | None) -> int | None:
    """The offset to commit after the acked offsets `acked` (sorted in place and trimmed of
    what it returns), or None: the acked run must start at `committed` (the next offset to
    process), offsets below it are already committed and dropped."""
    if not acked:
        return None
    acked.sort()
    if committed is not None:
        stale = [offset for offset in acked if offset < committed]
        if stale:
            del acked[: len(stale)]
            acked_index.difference_update(stale)
        if not acked or acked[0] != committed:
            return None
    end = 0
    while end + 1 < len(acked) and acked[end + 1] == acked[end] + 1:
        end += 1
    batch = acked[: end + 1]
    del acked[: end + 1]
    acked_index.difference_update(batch)
    return batch[-1] + 1


def install_faust_fixes() -> None:
    """Patch Faust's consumer and recovery (see the module docstring)."""
    global _installed
    if _installed:
        return
    from faust.tables.recovery import Recovery
    from faust.transport.consumer import Consumer

    original = Recovery.on_recovery_completed

    async def on_recovery_completed(self: Any, generation_id: int = 0) -> None:
        consumer = self.app.consumer
        if self.app.consumer_generation_id == generation_id and consumer.assignment():
            await self._wait(consumer.perform_seek(), timeout=self.app.conf.broker_request_timeout)
        await original(self, generation_id)

    async def _add_gap(self: Any, tp: Any, offset_from: int, offset_to: int) -> None:
        log.warning("offsets %s..%s of %s/%s skipped by the consumer: not counted as processed",
                    offset_from, offset_to - 1, tp.topic, tp.partition)  # fmt: skip

    def _new_offset(self: Any, tp: Any) -> int | None:
        committed = self._committed_offset[tp]
        return strict_new_offset(self._acked[tp], self._acked_index[tp], committed if committed else None)

    Recovery.on_recovery_completed = on_recovery_completed  # type: ignore[method-assign]
    Consumer._add_gap = _add_gap  # type: ignore[method-assign]
    Consumer._new_offset = _new_offset  # type: ignore[method-assign]
    _installed = True
