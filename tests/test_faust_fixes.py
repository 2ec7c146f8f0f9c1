"""The commit rule that replaces Faust's (streams/faust_fixes.py): never commit over an
offset that was not processed."""

from __future__ import annotations

from streams.faust_fixes import strict_new_offset


def test_a_contiguous_run_from_the_committed_offset_is_committed() -> None:
    acked, index = [12, 10, 11], {10, 11, 12}
    assert strict_new_offset(acked, index, 10) == 13
    assert acked == [] and index == set()


def test_a_hole_at_the_head_holds_the_commit_even_of_one_offset() -> None:
    """Faust 0.15.3 commits 14 here (upstream #606): offset 10 would be lost on a restart."""
    acked, index = [11, 12, 13], {11, 12, 13}
    assert strict_new_offset(acked, index, 10) is None
    assert acked == [11, 12, 13]
    acked.insert(0, 10)
    index.add(10)
    assert strict_new_offset(acked, index, 10) == 14


def test_a_hole_in_the_middle_commits_up_to_it_only() -> None:
    acked, index = [5, 6, 9, 10], {5, 6, 9, 10}
    assert strict_new_offset(acked, index, 5) == 7
    assert acked == [9, 10]
    assert strict_new_offset(acked, index, 7) is None


def test_offsets_below_the_committed_one_are_dropped() -> None:
    """Redelivered after a seek back: already committed, not a reason to commit again."""
    acked, index = [3, 4, 5, 6], {3, 4, 5, 6}
    assert strict_new_offset(acked, index, 5) == 7
    acked, index = [3, 4], {3, 4}
    assert strict_new_offset(acked, index, 5) is None
    assert acked == [] and index == set()


def test_with_nothing_committed_yet_the_first_run_is_committed() -> None:
    assert strict_new_offset([0, 1, 2], {0, 1, 2}, None) == 3
    assert strict_new_offset([], set(), None) is None
