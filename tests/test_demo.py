from stationdef.demo import demo_people, demo_station


def test_demo_is_deterministic_per_seed():
    assert demo_people(0) == demo_people(0)
    assert demo_people(1) != demo_people(0)


def test_demo_is_realistic():
    people = demo_people(0)
    sworn = [p for p in people if p.person_type == "sworn"]
    assert 55 <= len(people) <= 65
    assert 0.6 <= len(sworn) / len(people) <= 0.72
    assert sum(p.sex == "F" for p in people) >= 8
    assert {p.team for p in people} == {"community", "case", "command", "traffic"}
    assert len({p.badge for p in people}) == len(people) and len({p.name for p in people}) == len(people)
    assert any(p.badge.startswith("0") for p in people)           # badges are text with leading zeros
    assert any(e is not None for p in people for e in p.skills.values())   # some skills expire
    # 一警多能 matters: nobody holds every skill, the case skill is rare enough to be scarce
    skills = {s.code for s in demo_station().skills}
    assert all(set(p.skills) != skills for p in people)
    assert sum("case" in p.skills for p in people) < len(sworn)
    # case skill only on 民警
    assert all(p.person_type == "sworn" for p in people if "case" in p.skills)


def test_demo_staffing_can_cover_every_post():
    """Each post has enough eligible people for its daily demand (a necessary condition)."""
    sd = demo_station()
    people = [p for p in demo_people(0) if p.active]
    for post in sd.posts:
        eligible = [p for p in people if p.person_type in post.allowed_types
                    and all(s in p.skills for s in post.required_skills)]
        peak = max(d.count for d in sd.demand if d.post == post.code)
        assert len(eligible) * 5 >= 7 * peak, post.code          # 5 shifts a week each covers the peak daily
        assert sum(p.person_type == "sworn" for p in eligible) >= 3 * post.min_sworn, post.code


def test_example_people_file_matches_the_demo(tmp_path):
    """examples/people.csv is the demo's people list; regenerate it if the generator changes."""
    import io
    from pathlib import Path

    from stationdef.people_file import load_people_file, write_people_csv
    out = io.StringIO(newline="")
    write_people_csv(demo_people(0), demo_station(), out)
    example = Path(__file__).resolve().parent.parent / "examples" / "people.csv"
    assert example.read_bytes().decode("utf-8") == out.getvalue()
    assert load_people_file(example, demo_station()) == demo_people(0)
