"""Every seed document parses to exactly the problems counted by hand in expected.json."""

from zhenggai.intake import parse_file, parse_lines
from zhenggai.intake.tests.conftest import EXPECTED, SEEDS, expected_outline, outline_of


def test_each_seed_gives_its_problems_in_order_with_titles_and_paths(seed):
    name, text = seed
    document = parse_file(SEEDS / name)
    assert outline_of(document) == expected_outline(name)


def test_each_seed_gives_its_kind_organisation_and_dates(seed):
    name, text = seed
    document = parse_lines(text.splitlines(), name)
    expected = EXPECTED[name]
    assert document.kind == expected["kind"]
    assert document.org == expected["org"]
    for key in ("inspection_start", "inspection_end", "feedback"):
        assert document.dates.get(key) == (expected.get("dates") or {}).get(key), key


def test_declared_totals_are_read_and_disagreement_is_warned(seed):
    name, text = seed
    document = parse_lines(text.splitlines(), name)
    declared = {k: v for k, v in EXPECTED[name]["declared"].items() if k in ("areas", "long_term")}
    for key, value in declared.items():
        assert document.declared.get(key) == value, key
    stated = document.declared.get("problems")
    if stated is not None and stated != len(document.problems):
        assert any("declares" in w for w in document.warnings)


def test_a_date_that_lost_characters_is_warned_and_not_guessed():
    document = parse_lines(["2021412日至612日，工委第三巡察组对区发改局进行了巡察。"])
    assert document.dates.get("inspection_start") is None
    assert any("lost characters" in w for w in document.warnings)


def test_plan_items_carry_sections_and_deadlines():
    document = parse_file(SEEDS / "003_7f775de377682fdb.txt")
    first, second = document.problems[:2]
    assert first.lead_units == ["资管科"]
    assert first.responsible_units == ["各科室", "直属事业单位"]
    assert (first.deadline.kind, first.deadline.date) == ("date", "2024-02-05")
    assert second.lead_units == ["成果科", "资管科"] and second.deadline.kind == "ongoing"
    assert first.measures and first.measures[0].text.startswith("高度重视")


def test_sections_in_brackets_at_the_end_of_an_item():
    lines = [
        "一、存在的问题",
        "（一）学习不深入。",
        "1.建立学习制度。（牵头单位：办公室；责任单位：各科室）",
        "整改时限：2024年3月底前",
    ]
    problem = parse_lines(lines).problems[0]
    assert problem.lead_units == ["办公室"] and problem.responsible_units == ["各科室"]
    assert problem.deadline.date == "2024-03-31"


def test_chinese_and_arabic_totals():
    text = ["反馈的六个方面共二十六个具体问题已整改完成，其中9个需要长期坚持。完成整改688个。"]
    declared = parse_lines(text).declared
    assert declared == {"areas": 6, "problems": 26, "long_term": 9, "completed": 688}


def test_traditional_chinese_gives_the_same_outline(seed):
    from opencc import OpenCC

    name, text = seed
    traditional = OpenCC("s2t").convert(text)
    document = parse_lines(traditional.splitlines(), name)
    assert outline_of(document) == expected_outline(name)
    assert any("traditional" in w for w in document.warnings)
