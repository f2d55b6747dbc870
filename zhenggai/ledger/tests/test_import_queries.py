"""How many queries an import makes: a constant per problem and per measure, never a lookup that
grows with the ledger."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhenggai.intake.model import Deadline, ParsedDocument, ParsedMeasure, ParsedProblem
from zhenggai.ledger.imports import import_document


def document(problems: int, measures: int) -> ParsedDocument:
    return ParsedDocument(
        file="台账.txt",
        kind="plan",
        problems=[
            ParsedProblem(
                number=str(n),
                title=f"问题{n}",
                path=["一、方面"],
                text="描述",
                measures=[ParsedMeasure(f"措施{n}-{m}") for m in range(measures)],
                lead_units=["办公室"],
                responsible_units=["财务科", "各科室"],
                deadline=Deadline("date", "2030-01-31"),
            )
            for n in range(problems)
        ],
    )


def queries(world, problems: int, measures: int) -> int:
    with CaptureQueriesContext(connection) as captured:
        import_document(document(problems, measures), world.round, by=world.rect_office)
    return len(captured.captured_queries)


def test_an_import_makes_a_fixed_number_of_queries_per_problem_and_per_measure(world):
    queries(world, 1, 1)  # the sections the document names are created by the first import
    one, two, three = (queries(world, n, 1) for n in (1, 2, 3))
    # A problem with one measure: the problem, its history, search text, due date, the measure;
    # and its state spans, 5: one read and one insert when it is added, one read, the closing and
    # an insert when its due date is first set; and the problem's row locked for its refresh.
    # Each history row (the problem's, the measure's) also locks and moves its unit's chain head.
    assert two - one == three - two <= 23
    # A measure more: the measure, its sections, its history; its sections are not looked up
    # again, nor the problem's search text and due date refreshed for each; its history row's
    # chain head locked and moved.
    per_measure, rest = divmod(queries(world, 3, 3) - three, 3 * 2)
    assert rest == 0 and per_measure <= 6
