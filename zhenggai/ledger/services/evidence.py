"""Progress reports with their evidence, checked by content and stored outside any web root."""

import logging

from django.db import transaction

from zhenggai.ledger.history import record
from zhenggai.ledger.models import (
    Event,
    Evidence,
    Measure,
    Problem,
    ProgressReport,
)
from zhenggai.ledger.schedule import refresh_due_date
from zhenggai.ledger.services.rights import may_report
from zhenggai.lib.errors import NotAllowed, Refused
from zhenggai.lib.uploads import (
    checked_file,
    stored_file_fields,
)

log = logging.getLogger(__name__)


def _store_evidence(report: ProgressReport, upload, info, stored: list) -> str:
    evidence = Evidence(report=report, **stored_file_fields(upload, info))
    evidence.file.save(f"{info.sha256[:16]}.bin", upload, save=False)
    stored.append(evidence.file)
    evidence.save()
    return evidence.original_name


def report_progress(
    problem: Problem, *, by, text: str, files=(), measure: Measure | None = None
) -> ProgressReport:
    """Record what was done, with evidence files checked by content; all or nothing."""
    text = text.strip()
    if not text:
        raise Refused("请填写整改进展。", "a progress report needs text")
    checked = [(upload, checked_file(upload)) for upload in files]
    stored: list = []  # files are outside the transaction: removed by hand if it fails
    try:
        return _report(problem, by, text, measure, checked, stored)
    except BaseException:
        for file in stored:
            file.storage.delete(file.name)
        raise


@transaction.atomic
def _report(problem, by, text, measure, checked, stored) -> ProgressReport:
    problem = (
        Problem.objects.select_for_update(of=("self",)).select_related("round").get(pk=problem.pk)
    )
    if measure is not None and measure.problem_id != problem.pk:
        raise Refused("措施不属于该问题。", "measure of another problem")
    if measure is not None and measure.withdrawn:
        raise Refused("该措施已撤销，不能再报告进展。", f"measure {measure.pk} is withdrawn")
    if not may_report(by, problem, measure):
        raise NotAllowed(
            "您没有权限报告该问题的整改进展。", f"{by} may not report on problem {problem.pk}"
        )
    report = ProgressReport.objects.create(
        problem=problem, measure=measure, text=text, created_by=by
    )
    names = [_store_evidence(report, upload, info, stored) for upload, info in checked]
    record(
        Event.Action.REPORTED,
        report,
        by=by,
        problem=problem,
        changes={"佐证材料": ["—", "、".join(names)]} if names else {},
        note=text,
    )
    refresh_due_date(problem)
    return report
