"""Searching Chinese text finds exactly the problems that contain the words."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhenggai.ledger import search, services
from zhenggai.ledger.models import Problem


def test_pieces_are_overlapping_pairs_of_chinese_and_whole_latin_words():
    assert search.pieces("优化营商环境ABC 2023年") == [
        "优化",
        "化营",
        "营商",
        "商环",
        "环境",
        "abc",
        "2023",
        "年",
    ]


def test_search_finds_words_inside_chinese_text(world):
    a = world.problem("优化营商环境工作推进不够有力")
    b = world.problem("学习贯彻不深入")
    found = lambda q: set(search.search(Problem.objects.all(), q.split()))  # noqa: E731
    assert found("营商环境") == {a}
    assert found("营商") == {a}
    assert found("学习 深入") == {b}
    assert found("营商 深入") == set()
    assert found("商") == {a}  # one character: a plain substring match
    assert found("环境营商") == set()  # the pieces in the wrong order are not a match


def test_the_index_follows_edits(world):
    problem = world.problem("原来的标题")
    services.update_problem(problem, by=world.inspector, title="财务管理不规范")
    assert list(search.search(Problem.objects.all(), ["财务管理"])) == [problem]
    assert list(search.search(Problem.objects.all(), ["原来"])) == []


ALPHABET = "学习整改营商环境制度落实不到位，“”Ab1 "


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    titles=st.lists(
        st.text(ALPHABET, min_size=1, max_size=12).filter(str.strip), min_size=1, max_size=6
    ),
    query=st.text(ALPHABET, min_size=1, max_size=5).filter(str.strip),
)
def test_search_equals_a_substring_match(world, titles, query):
    Problem.objects.filter(round=world.round).update(round=world.outside_round)
    problems = [world.problem(title) for title in titles]
    words = query.split()
    texts = dict(
        Problem.objects.filter(pk__in=[p.pk for p in problems]).values_list("pk", "search_text")
    )
    expected = {pk for pk, text in texts.items() if all(w.lower() in text.lower() for w in words)}
    found = search.search(Problem.objects.filter(round=world.round), words)
    assert set(found.values_list("pk", flat=True)) == expected


def test_a_search_counts_up_to_a_cap(client, world, monkeypatch):
    from zhenggai.ledger.views import CappedPaginator

    monkeypatch.setattr(CappedPaginator, "COUNT_CAP", 2)
    for n in range(3):
        world.problem(f"财务管理不规范{n}")
    client.force_login(world.leader)
    body = client.get("/ledger/?q=财务管理").content.decode()
    assert "共 2+ 条" in body
