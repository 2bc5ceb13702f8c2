"""The story table: every declared column stays in step when rows are added, grown and pruned."""

from __future__ import annotations

import math

import numpy as np

from newsdesk.stories.table import StoryTable


def _columns(table: StoryTable) -> list[str]:
    return [name for name, _ in (*table.array_columns, *table.list_columns)]


def test_a_new_row_holds_every_columns_new_value() -> None:
    table = StoryTable()
    slot = table.add_row(7)
    assert (slot, table.size, table.ids, table.slot_of) == (0, 1, [7], {7: 0})
    assert table.capacity == 64
    assert not table.sums[0].any() and math.isnan(table.first[0]) and table.members[0] == 0
    assert table.lex[0].weights == {} and table.lede[0] == {} and list(table.quotes[0]) == []
    for name in _columns(table):
        assert len(getattr(table, name)) >= table.size, name


def test_growing_and_keeping_rows_keep_the_columns_in_step() -> None:
    table = StoryTable()
    for story_id in range(1, 101):  # past the first capacity of 64
        slot = table.add_row(story_id)
        table.sums[slot, 0] = story_id
        table.members[slot] = story_id
        table.languages[slot].append(f"l{story_id}")
    assert table.capacity == 128 and table.size == 100
    table.keep(np.flatnonzero(table.members[: table.size] % 3 == 0))
    assert table.ids == list(range(3, 101, 3)) and table.size == len(table.ids)
    for story_id in table.ids:
        slot = table.slot_of[story_id]
        assert table.sums[slot, 0] == story_id and table.members[slot] == story_id
        assert table.languages[slot] == [f"l{story_id}"]
    for name, _ in table.list_columns:
        assert len(getattr(table, name)) == table.size, name
    slot = table.add_row(101)  # a slot freed by the pruning starts with the new values
    assert slot == table.size - 1 and table.members[slot] == 0 and table.languages[slot] == []


def test_dropping_a_row_near_the_end_moves_only_the_rows_after_it() -> None:
    table = StoryTable()
    for story_id in range(10, 20):
        slot = table.add_row(story_id)
        table.members[slot] = story_id
        table.languages[slot].append(f"l{story_id}")
    before = table.sums[:2].copy()
    table.keep(np.array([0, 1, 2, 3, 4, 5, 6, 8, 9]))  # story 17 leaves
    assert table.ids == [10, 11, 12, 13, 14, 15, 16, 18, 19] and table.size == 9
    assert table.slot_of == {story_id: slot for slot, story_id in enumerate(table.ids)}
    assert [int(table.members[slot]) for slot in range(9)] == table.ids
    assert [table.languages[slot] for slot in range(9)] == [[f"l{i}"] for i in table.ids]
    assert np.array_equal(table.sums[:2], before)
    table.keep(np.array([0, 2, 1, 3, 4, 5, 6, 7, 8]))  # a reordering keeps every story
    assert table.ids[:3] == [10, 12, 11] and table.slot_of[12] == 1 and table.slot_of[11] == 2
    assert int(table.members[1]) == 12 and len(table.slot_of) == 9
