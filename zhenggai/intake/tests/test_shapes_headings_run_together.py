"""Pages that ran paragraphs together: a heading numbered 一、 or （一） inside a line after a
full stop or colon starts a heading of its own, and a heading followed by its paragraph after a
space is titled by the heading alone."""

from zhenggai.intake import parse_lines
from zhenggai.intake.outline import run_together


def test_headings_inside_a_line_after_a_full_stop_start_their_own_lines():
    # A town's report as a document-sharing site showed a .docx: the body run into one line.
    line = (
        "现将整改情况汇报如下：(一)兰花花金街环境卫生脏乱差，各类杂物乱堆乱放。整改措施：我镇立即"
        "安排社区进行清理。(二)望通路南北两侧卫生脏乱。整改措施：动用大型机械清理路面。"
    )
    assert run_together(line) == [
        "现将整改情况汇报如下：",
        "(一)兰花花金街环境卫生脏乱差，各类杂物乱堆乱放。整改措施：我镇立即安排社区进行清理。",
        "(二)望通路南北两侧卫生脏乱。整改措施：动用大型机械清理路面。",
    ]
    document = parse_lines(["望远镇创建文明城市整改报告", line])
    assert [p.title for p in document.problems] == [
        "兰花花金街环境卫生脏乱差，各类杂物乱堆乱放",
        "望通路南北两侧卫生脏乱",
    ]
    assert [m.text for m in document.problems[1].measures] == ["动用大型机械清理路面"]


def test_numbers_inside_a_sentence_are_not_split():
    line = "按照第(二)项要求，共(三)个单位参加，整改时限为一、二季度。"
    assert run_together(line) == [line]


def test_a_heading_run_into_its_paragraph_after_a_space_is_titled_by_the_heading():
    # A college's notice whose page ran its body into one line; its sections are about the
    # work (short clauses that say what was done) and the text stops before the problems.
    lines = [
        "学院“三重一大”决策制度落实情况的通报",
        "一、提高政治站位，强化组织领导 学院党委高度重视问题整改，明确学院党委书记为第一责任人。"
        "二、查找问题根源，明确整改方向 结合学校巡察组对学院的意见反馈，党委班子成员认真学习讨论。"
        "三、聚焦突出问题，精准施策",
    ]
    document = parse_lines(lines)
    assert document.problems == []
    assert [w.code for w in document.warnings] == ["only_work_sections"]
