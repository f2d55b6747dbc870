"""Probes of measures, progress reports with their evidence, and change requests
(api/measure_views.py). The sweep's section staff work in another section than the one that
carries unit A's measure, so the pages refuse them every write here."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from zhenggai.api.tests.probes import Probe
from zhenggai.ledger import services
from zhenggai.lib import samples


def objects(world) -> dict:
    problem = world.problem("甲单位措施的问题", approve=True)
    measure = world.measure(problem)
    report = services.report_progress(
        problem,
        by=world.staff,
        text="已组织专题学习",
        files=[SimpleUploadedFile("学习纪要.pdf", samples.pdf())],
    )
    change = services.update_measure(
        measure,
        by=world.rect_office,
        base_version=None,
        reason="需延期",
        deadline=date(2030, 6, 1),
    ).requests[0]
    return {
        "measure": measure.pk,
        "measure_problem": problem.pk,
        "report": report.pk,
        "evidence": report.evidence.get().pk,
        "change_request": change.pk,
    }


def probes(ids) -> dict[str, Probe]:
    m, r, c = ids["measure"], ids["report"], ids["change_request"]
    return {
        "v1_measures_list": Probe("get", "/api/v1/measures/", lists=m),
        "v1_measures_retrieve": Probe("get", f"/api/v1/measures/{m}/"),
        "v1_measures_partial_update": Probe(
            "patch", f"/api/v1/measures/{m}/", {"completed_on": "2026-10-01"}
        ),
        "v1_measures_withdraw_create": Probe(
            "post", f"/api/v1/measures/{m}/withdraw/", {"reason": "x"}
        ),
        "v1_reports_list": Probe("get", "/api/v1/reports/", lists=r),
        "v1_reports_retrieve": Probe("get", f"/api/v1/reports/{r}/"),
        "v1_reports_create": Probe(
            "post",
            "/api/v1/reports/",
            {"problem": ids["measure_problem"], "text": "进展"},
            format="multipart",
        ),
        "v1_evidence_file_retrieve": Probe("get", f"/api/v1/evidence/{ids['evidence']}/file/"),
        "v1_change_requests_list": Probe("get", "/api/v1/change-requests/", lists=c),
        "v1_change_requests_retrieve": Probe("get", f"/api/v1/change-requests/{c}/"),
        "v1_change_requests_decision_create": Probe(
            "post", f"/api/v1/change-requests/{c}/decision/", {"approve": False, "note": "x"}
        ),
    }
