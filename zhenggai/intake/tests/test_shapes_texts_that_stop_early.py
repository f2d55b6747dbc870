"""Texts stored only from their beginning stop before their problems: a section that says it
holds several problems, or that names what was audited, is not taken as a problem, and the
preview is told."""

from zhenggai.intake import parse_lines


def test_an_area_that_states_its_count_but_lists_nothing_is_not_a_problem():
    # A city audit bureau's report on rectification (ruijin.gov.cn), stopped after its first
    # area's summary.
    lines = [
        "关于2020年度市本级预算执行和其他财政收支审计查出问题整改情况的报告",
        "《审计报告》反映涉及4个方面共计50项具体问题，报告日已整改40项。",
        "一、财政部门预算执行问题的整改情况",
        "财政部门预算执行问题6项，涉及金额237054.47万元，部分整改4项，已整改2项。",
    ]
    document = parse_lines(lines)
    assert document.problems == []
    warning = next(w for w in document.warnings if w.code == "area_without_problems")
    assert warning.args == {"title": "财政部门预算执行问题的整改情况", "count": 6}


def test_an_audit_item_without_its_problems_is_not_a_problem():
    # A district audit work report (2023) stopped in its first audit item's opening.
    lines = [
        "我受区人民政府的委托，向区人大常委会报告2022年度区本级预算执行和其他财政收支审计情况。",
        "报告期间内共完成审计（调查）项目19个，共查出问题330项，提出审计建议47条。",
        "一、财政管理审计情况",
        "（一）区本级财政管理及决算草案审计",
        "按照上级审计机关统一部署，组织对区本级财政预算执行情况审计。",
    ]
    document = parse_lines(lines)
    assert document.problems == [] and document.declared == {"problems": 330}
    assert "audit_item_without_problems" in [w.code for w in document.warnings]


def test_an_area_whose_problems_are_listed_is_read_as_before():
    lines = [
        "一、财政部门预算执行问题的整改情况",
        "财政部门预算执行问题2项。",
        "（一）部分专项资金未及时拨付。",
        "整改情况：已拨付到位。",
        "（二）结余资金未及时收回。",
        "整改情况：已收回。",
    ]
    document = parse_lines(lines)
    assert [p.title for p in document.problems] == ["部分专项资金未及时拨付", "结余资金未及时收回"]
    assert not document.warnings
