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
    problem: Problem,
    *,
    by,
    text: str,
    files=(),
    measure: Measure | None = None,
    percent: int | None = None,
) -> ProgressReport:
    """Record what was done, with evidence files checked by content; all or nothing. A
    report on a measure may state how far along it is (`percent`, 0–100), which becomes the
    measure's and so counts in its problem's."""
    text = text.strip()
    if not text:
        raise Refused("请填写整改进展。", "a progress report needs text")
    check_percent(percent, measure)
    checked = [(upload, checked_file(upload)) for upload in files]
    stored: list = []  # files are outside the transaction: removed by hand if it fails
    try:
        return _report(problem, by, text, measure, checked, stored, percent)
    except BaseException:
        for file in stored:
            file.storage.delete(file.name)
        raise


def check_percent(percent: int | None, measure: Measure | None) -> None:
    if percent is None:
        return
    if measure is None:
        raise Refused("完成进度须针对具体措施填报。", "a percentage needs a measure")
    if isinstance(percent, bool) or not isinstance(percent, int) or not 0 <= percent <= 100:
        raise Refused("完成进度应为 0 至 100 之间的整数。", f"percentage {percent!r} out of range")


@transaction.atomic
def _report(problem, by, text, measure, checked, stored, percent=None) -> ProgressReport:
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
        problem=problem, measure=measure, text=text, created_by=by, percent=percent
    )
    names = [_store_evidence(report, upload, info, stored) for upload, info in checked]
    changes = {"佐证材料": ["—", "、".join(names)]} if names else {}
    if percent is not None:
        changes.update(_set_percent(measure, percent))
    record(Event.Action.REPORTED, report, by=by, problem=problem, changes=changes, note=text)
    refresh_due_date(problem)
    return report


def _set_percent(measure: Measure, percent: int) -> dict:
    """The measure's completion as now reported (not a change of its plan: its `version`,
    which guards edits of the plan, stays)."""
    before = (
        Measure.objects.select_for_update().values_list("percent", flat=True).get(pk=measure.pk)
    )
    if before == percent:
        return {}
    Measure.objects.filter(pk=measure.pk).update(percent=percent)
    measure.percent = percent
    return {"完成进度": [f"{before}%", f"{percent}%"]}
