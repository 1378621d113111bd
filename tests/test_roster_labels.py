"""Short labels of shifts and posts (issue 24 item 4): derived defaults, the station file's
`label`, the database, and the roster grid and legend of the terminal app in both languages."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from textual.widgets import DataTable

import messages
from db import station as station_db
from db.connection import StationDB
from db.schema import migrate
from errors import InputError
from stationdef import labels
from stationdef.demo import demo_station
from stationdef.toml_file import parse_station_text
from tests.test_station_file import GOOD, line_of
from tests.test_tui_support import async_test, make_app, settle, station, text_of, tui_template

__all__ = ["station", "tui_template"]     # fixtures


# -- defaults -----------------------------------------------------------------------------------

def test_defaults_from_the_names():
    shifts = [("D", "白班", None), ("N", "夜班", None), ("Z", "24小时值班", None), ("V", "晚间窗口", None)]
    assert labels.resolve(shifts, post=False) == {"D": "白", "N": "夜", "Z": "值", "V": "晚"}
    posts = [("CMD", "指挥室值班台", None), ("PAT1", "巡逻1", None), ("PAT12", "巡逻12", None),
             ("TRF", "交通岗", None), ("STBY", "备勤", None)]
    assert labels.resolve(posts, post=True) == {"CMD": "指挥", "PAT1": "巡1", "PAT12": "巡12", "TRF": "交通",
                                                "STBY": "备勤"}


def test_collisions_are_resolved_in_file_order_and_given_labels_win():
    # 夜班 and 夜间巡逻 both start with 夜: the second gets 夜间; a label the file gives is kept
    # even when it is what a derived one would have been
    assert labels.resolve([("N", "夜班", None), ("NP", "夜间巡逻", None)], post=False) == {"N": "夜", "NP": "夜间"}
    assert labels.resolve([("N", "夜班", None), ("X", "其他", "夜")], post=False) == {"N": "夜班", "X": "夜"}
    # nothing of the name is free within the width: the code
    assert labels.resolve([("A", "夜", None), ("B", "夜", None)], post=False) == {"A": "夜", "B": "B"}
    # an English-only name has no Chinese short form: the code
    assert labels.resolve([("DAY", "Day", None)], post=False) == {"DAY": "DAY"}
    # the code itself is taken: numbered
    assert labels.resolve([("A", "x", "B"), ("B", "夜", "夜"), ("C", "夜", None)], post=False)["C"] not in {"B", "夜"}


names = st.text(alphabet=st.sampled_from(list("白夜值晚班巡逻指挥室1234 小时24hDayNigt")), min_size=1, max_size=8)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(names, st.one_of(st.none(), st.sampled_from(["夜", "白", "巡1", "X"]))),
                min_size=1, max_size=12),
       st.booleans())
def test_labels_are_unique_deterministic_and_keep_what_the_file_gives(items, post):
    seen: set[str] = set()
    rows = []
    for i, (name, label) in enumerate(items):
        if label in seen:                 # the file reader refuses a label given twice
            label = None
        if label:
            seen.add(label)
        rows.append((f"C{i}", name, label))
    out = labels.resolve(rows, post=post)
    assert list(out) == [code for code, _, _ in rows]
    assert len(set(out.values())) == len(out)                               # unique
    assert out == labels.resolve(list(rows), post=post)                     # deterministic
    assert all(out[code] == label for code, _, label in rows if label)      # given labels kept
    limit = labels.POST_WIDTH if post else labels.SHIFT_WIDTH
    for code, name, label in rows:       # derived: from the name within the width, else from the code
        if not label:
            assert out[code].startswith(code) or labels.width(out[code]) <= limit


# -- the station file ---------------------------------------------------------------------------

def with_labels(shift_label: str | None = None, post_label: str | None = None, *, second_post: str | None = None):
    text = GOOD
    if shift_label is not None:
        text = text.replace('name = "夜班"\n', f'name = "夜班"\nlabel = "{shift_label}"\n')
    if post_label is not None:
        text = text.replace('name = "巡逻1"\n', f'name = "巡逻1"\nlabel = "{post_label}"\n')
    if second_post is not None:
        text = text.replace('name = "办案值班"\n', f'name = "办案值班"\nlabel = "{second_post}"\n')
    return text


def test_labels_of_the_station_file_and_their_defaults():
    sd = parse_station_text(with_labels("晚", "车1"))
    assert [(s.code, s.label) for s in sd.shifts] == [("D", "白"), ("N", "晚")]
    assert [(p.code, p.label) for p in sd.posts] == [("PAT", "车1"), ("CASE", "办案")]
    sd = parse_station_text(GOOD)
    assert [s.label for s in sd.shifts] == ["白", "夜"] and [p.label for p in sd.posts] == ["巡1", "办案"]
    demo = demo_station()
    assert {s.code: s.label for s in demo.shifts} == {"D": "白", "N": "夜", "W": "常", "V": "晚", "Z": "值", "T": "高"}
    assert {p.code: p.label for p in demo.posts}["WIN"] == "窗口"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_bad_labels_are_refused_with_line_and_field(lang):
    before = messages.lang()
    messages.set_lang(lang)
    try:
        for text, field, words in [
            (with_labels("夜班班"), "shifts[2].label", {"zh": "最多 2 个汉字", "en": "at most 2 Chinese"}),
            (with_labels(post_label="巡/1"), "posts[1].label", {"zh": "不能含空格", "en": "may not hold spaces"}),
            (with_labels(post_label="巡逻车一号"), "posts[1].label", {"zh": "最多 3 个汉字", "en": "at most 3 Chinese"}),
            (with_labels(post_label="案", second_post="案"), "posts[2].label", {"zh": "重复", "en": "used twice"}),
        ]:
            with pytest.raises(InputError) as exc:
                parse_station_text(text)
            (p,) = exc.value.problems
            assert p.field == field and p.line == line_of(text, "label =", 2 if field == "posts[2].label" else 1)
            assert words[lang] in str(p.message), p
    finally:
        messages.set_lang(before)


# -- the database -------------------------------------------------------------------------------

def test_labels_are_stored_and_read_back(cli_run, tmp_path, db_path):
    f = tmp_path / "s.toml"
    f.write_text(with_labels("晚", "车1"), encoding="utf-8")
    people = tmp_path / "p.csv"
    people.write_text("警号,姓名,性别,人员类别\n000001,王丽,女,民警\n", encoding="utf-8")
    r = cli_run("init", "--station", str(f), "--people", str(people))
    assert r.exit_code == 0, r.output
    with StationDB(db_path) as sdb:
        sd = station_db.load_station(sdb)
        assert [(s.code, s.label) for s in sd.shifts] == [("D", "白"), ("N", "晚")]
        assert [(p.code, p.label) for p in sd.posts] == [("PAT", "车1"), ("CASE", "办案")]
        with sdb.write():                       # a label removed (as in a database of before migration 6)
            sdb.conn.execute("UPDATE posts SET label = NULL WHERE code = 'PAT'")
        assert {p.code: p.label for p in station_db.load_station(sdb).posts} == {"PAT": "巡1", "CASE": "办案"}
    shown = cli_run("station", "show", "--json")
    assert '"label": "晚"' in shown.stdout


def test_an_old_database_gets_derived_labels(tmp_path):
    path = tmp_path / "old.db"
    sdb = StationDB(path, migrate=False)
    migrate(sdb, target=5)
    sd = demo_station()
    with sdb.write():               # what a dutydesk before labels wrote: no label columns
        sdb.db["station"].insert({"id": 1, "code": "X", "name": "老站", "created_at": "2025-01-01T00:00:00Z"})
        sdb.db["shift_types"].insert_all([{"code": s.code, "name": s.name, "start": s.start, "minutes": s.minutes,
                                           "crosses_midnight": int(s.crosses_midnight), "kind": s.kind}
                                          for s in sd.shifts])
    sdb.close()
    with StationDB(path) as sdb:
        got = {s.code: s.label for s in station_db.load_station(sdb).shifts}
    assert got == {"D": "白", "N": "夜", "W": "常", "V": "晚", "Z": "值", "T": "高"}


# -- the terminal app ---------------------------------------------------------------------------

@async_test
async def test_grid_and_legend_use_labels_in_chinese_and_codes_in_english(station):
    with StationDB(station) as sdb:
        sd = station_db.load_station(sdb)
    shift_label = {s.code: s.label for s in sd.shifts}
    post_label = {p.code: p.label for p in sd.posts}
    app = make_app(station, lang="zh")
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("f3")
        await settle(pilot)
        screen = app.screen
        grid = screen.query_one("#grid", DataTable)
        person = next(p for p in screen.view["people"] if p["cells"])
        day, a = next(iter(person["cells"].items()))
        assert str(grid.get_cell(person["badge"], day)) == f"{shift_label[a['shift']]}/{post_label[a['post']]}"
        legend = " ".join(text_of(screen.query_one("#roster-legend")).split())
        assert screen.query_one("#roster-legend").size.height == len(text_of(screen.query_one("#roster-legend"))
                                                                     .rstrip().splitlines())   # all of it shown
        for s in sd.shifts:
            assert f"{s.label}={s.name} {s.start}-{s.end}" in legend
        for p in sd.posts:
            assert f"{p.label}={p.name}" in legend
        assert "年休=年休假" in legend
        await pilot.press("f9")                 # English: the codes, and the legend explains them
        await settle(pilot)
        assert str(grid.get_cell(person["badge"], day)) == f"{a['shift']}/{a['post']}"
        legend = " ".join(text_of(screen.query_one("#roster-legend")).split())
        assert screen.query_one("#roster-legend").size.height == len(text_of(screen.query_one("#roster-legend"))
                                                                     .rstrip().splitlines())
        assert all(f"{s.code}={s.name_en or s.name}" in legend for s in sd.shifts)
        assert all(f"{p.code}={p.name_en or p.name}" in legend for p in sd.posts)


@async_test
async def test_a_narrow_terminal_keeps_the_legend_in_the_side_panel(station):
    app = make_app(station, lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await settle(pilot)
        screen = app.screen
        assert not screen.query_one("#roster-legend").display
        await pilot.press("down")
        assert "看管=候问室看管" in " ".join(text_of(screen.query_one("#explain-body")).split())
