"""The indicator page's form for streefwaarden (dashboard/pages/indicator.targets_form), as a
component tree: the column of original values is there only when a target was moved (an empty
column headed "Plan" stood beside "Nu" and read as "Nu Plan"), and every row has as many cells
as the header."""
from __future__ import annotations

from types import SimpleNamespace

from dash import html

from dashboard.pages import indicator
from dashboard.programme.history import EditableValue, IndicatorEdit

IND = SimpleNamespace(naam="Gemiddelde verblijfsduur (dagen)", eenheid="dagen")
PLAN = SimpleNamespace(jaren=[2025, 2026, 2027, 2028], nulmeting_jaar=2024)


def rows_of(form) -> tuple[list[str], list[list]]:
    """The header texts and the rows' cells (Th and Td) of the form's table."""
    (table,) = [c for c in form.children if isinstance(c, html.Table)]
    _caption, thead, tbody = table.children
    headers = [th.children if isinstance(th.children, str) else "" for th in thead.children.children]
    return headers, [tr.children for tr in tbody.children]


def edit_with(streefwaarden: dict[int, EditableValue]) -> IndicatorEdit:
    return IndicatorEdit("H07", (2024, EditableValue(528, 1)), streefwaarden, {})


def test_without_a_moved_target_there_is_no_column_of_original_values():
    edit = edit_with({jaar: EditableValue(500 - jaar % 10, 1, oorspronkelijk=500 - jaar % 10) for jaar in PLAN.jaren})
    headers, rows = rows_of(indicator.targets_form(IND, edit, PLAN))
    assert headers == ["Jaar", "Nu", "Nieuwe waarde", ""]
    assert all(len(cells) == len(headers) for cells in rows)


def test_a_moved_target_shows_its_original_value_in_its_own_column():
    streefwaarden = {jaar: EditableValue(496, 1, oorspronkelijk=496) for jaar in PLAN.jaren}
    streefwaarden[2026] = EditableValue(600, 2, oorspronkelijk=507)
    headers, rows = rows_of(indicator.targets_form(IND, edit_with(streefwaarden), PLAN))
    assert headers == ["Jaar", "Nu", "Oorspronkelijk", "Nieuwe waarde", ""]
    assert all(len(cells) == len(headers) for cells in rows)
    originals = [cells[2].children for cells in rows]
    assert originals == ["", "507 dagen", "", "", ""]  # 2025–2028 and the nulmeting


def test_the_caption_names_the_unit_once():
    form = indicator.targets_form(IND, edit_with({}), PLAN)
    (table,) = [c for c in form.children if isinstance(c, html.Table)]
    assert table.children[0].children == "Streefwaarden van Gemiddelde verblijfsduur (dagen)"
    assert indicator.named_with_unit("Netwerkpleeggezinnen", "aantal") == "Netwerkpleeggezinnen (aantal)"
