from datetime import date

import pytest
from hypothesis import given, strategies as st

from stationdef import cells


@pytest.mark.parametrize("value", ["2026-12-01", "2026/12/1", "2026.12.01", "2026年12月1日", " 2026-12-01 ",
                                   46357, 46357.0, "46357", "2026-12-01 00:00:00"])
def test_date_forms(value):
    assert cells.parse_date(value) == date(2026, 12, 1)


@pytest.mark.parametrize("value", ["", "12/01/2026", "2026-02-30", "tomorrow", -3])
def test_bad_dates(value):
    with pytest.raises(ValueError):
        cells.parse_date(value)


@given(st.one_of(st.text(), st.integers(), st.floats(allow_nan=True), st.none()))
def test_cell_parsers_only_raise_value_error(value):
    for fn in (cells.parse_date, cells.parse_sex, cells.parse_person_type, cells.parse_bool, cells.parse_int,
               cells.parse_hhmm):
        try:
            fn(value)
        except ValueError:
            pass


@pytest.mark.parametrize("value", [13, "13", 1.0, 2958465])
def test_small_or_huge_numbers_are_not_dates(value):
    with pytest.raises(ValueError, match="not a date between 1950 and 2099"):
        cells.parse_date(value)
