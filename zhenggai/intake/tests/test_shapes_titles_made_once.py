"""A heading's title is made once, however often the rules read it, and made again only when
the heading is set after its node opened (a number that stood alone on its line)."""

from pathlib import Path

from zhenggai.intake import headings, parse_lines

SEED = next((Path(__file__).resolve().parents[2] / "demo" / "seeds").glob("000_*.txt"))


def test_each_heading_is_cleaned_once(monkeypatch):
    lines = SEED.read_text(encoding="utf-8").split("\n")
    numbered = sum(1 for line in lines if headings.numbering(headings.normalise(line)))
    made = []
    real = headings.clean_title
    monkeypatch.setattr(headings, "clean_title", lambda text: made.append(text) or real(text))
    document = parse_lines(lines)
    assert document.problems
    assert len(made) <= numbered


def test_a_title_follows_a_heading_set_after_it_was_read():
    node = headings.Node("cn、", "一", "")
    assert node.title == ""
    node.heading = "学习不深入。整改情况：已整改。"
    assert node.title == "学习不深入"


def test_a_number_alone_on_its_line_takes_the_next_line_as_its_heading():
    document = parse_lines(["一、存在的问题", "（一）", "学习不深入。", "整改情况：已整改。"])
    assert [p.title for p in document.problems] == ["学习不深入"]
