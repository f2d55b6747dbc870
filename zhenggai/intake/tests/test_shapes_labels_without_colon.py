"""Section labels as documents write them: without a colon, glued to the name, or after a
space; a label is never read as part of a section's name, and prose that uses the word is not a
label."""

from zhenggai.intake import parse_lines
from zhenggai.intake.extract import problem_facts


def facts(line: str) -> dict:
    return problem_facts("整改财政资金管理不规范问题", [line], rules=[])


def test_a_label_without_its_colon_is_not_part_of_the_names_before_it():
    found = facts("（牵头单位：区财政局 责任单位区政府有关部门、各街道功能区）")
    assert found["lead_units"] == ["区财政局"]
    assert found["responsible_units"] == ["区政府有关部门", "各街道功能区"]


def test_labels_glued_to_their_names_on_a_line_of_their_own():
    found = facts("牵头单位区发改局；责任单位各镇街、区直各部门；整改时限2024年6月底前")
    assert found["lead_units"] == ["区发改局"]
    assert found["responsible_units"] == ["各镇街", "区直各部门"]
    assert found["deadline"].date == "2024-06-30"


def test_a_label_after_a_space_without_a_colon():
    found = facts("责任单位 区审计局")
    assert found["responsible_units"] == ["区审计局"]


def test_prose_that_uses_the_label_word_is_not_a_label():
    found = facts("由牵头单位负责组织实施，责任单位要切实抓好落实，明确整改措施和整改时限。")
    assert found["lead_units"] == [] and found["responsible_units"] == []
    assert found["deadline"] is None


def test_a_name_that_holds_the_label_word_stays_whole():
    found = facts("牵头单位：区财政局、各责任单位")
    assert found["lead_units"] == ["区财政局", "各责任单位"]


def test_the_document_names_the_rule_when_a_label_had_no_colon():
    lines = [
        "一、审计查出问题的整改情况",
        "（一）部分专项资金未及时拨付。",
        "整改情况：已拨付到位。",
        "牵头单位区财政局 责任单位区政府有关部门",
    ]
    document = parse_lines(lines)
    problem = document.problems[0]
    assert (problem.lead_units, problem.responsible_units) == (["区财政局"], ["区政府有关部门"])
    assert [m.text for m in problem.measures] == ["已拨付到位。"]
    assert "label_without_colon" in document.rules
