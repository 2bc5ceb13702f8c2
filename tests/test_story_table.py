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
