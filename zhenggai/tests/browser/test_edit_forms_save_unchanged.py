"""Every edit form of the application, opened in a browser on a fully filled record and saved
without touching anything, changes nothing and writes no history.

This is the class of defect that posting form data directly cannot find: a widget that renders a
saved value in a shape the browser rejects (a date as "2027/01/11" in `<input type="date">`)
shows the field empty, and saving then wipes it. `test_every_url_is_an_edit_form_or_says_why_not`
fails when a URL is added without a decision here.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pytest
from django.db import models
from django.urls import reverse
from playwright.sync_api import expect

from zhenggai.assessments.services import interviews, schemes
from zhenggai.assessments.tests.test_access_matrix import assessment_url_names
from zhenggai.evaluations.models import RatingPoint
from zhenggai.evaluations.tests.test_access_matrix import evaluation_url_names
from zhenggai.ledger import services
from zhenggai.ledger.models import DeadlineKind, Event
from zhenggai.orgs.models import Unit
from zhenggai.orgs.services import create_unit
from zhenggai.reports.models import default_notice
from zhenggai.reports.services import save_notice, set_disclosure
from zhenggai.rounds.models import InspectionRound
from zhenggai.supervision.deadlines import workdays_after
from zhenggai.supervision.milestones import Milestone
from zhenggai.supervision.models import Preference
from zhenggai.supervision.services import record_milestone
from zhenggai.testing import make_world
from zhenggai.tests.test_permission_matrix import url_names

pytestmark = pytest.mark.browser


@dataclass
class Form:
    """One edit form: who opens it, where, and the records it must leave as they were."""

    who: str
    url: str
    records: list[models.Model]
    # The form to save, when the page holds several.
    form: str = "main form[method=post]"
    extra: dict = field(default_factory=dict)


def filled(world) -> dict[str, list[Form]]:
    """Records with every field a person can fill in, and the forms that edit them."""
    round = world.round
    InspectionRound.objects.filter(pk=round.pk).update(
        period_start=date(2026, 6, 1),
        period_end=date(2026, 7, 15),
        long_term_report_period="quarterly",
    )
    round.refresh_from_db()
    problem = services.create_problem(
        round,
        by=world.inspector,
        number="3",
        title="“三重一大”决策制度执行不严格",
        description="2024年以来，部分大额资金使用未经党组会议集体研究。\n涉及资金120万元。",
        path=["党的领导方面", "落实“三重一大”制度"],
    )
    dated = services.create_measure(
        problem,
        by=world.leader,
        text="修订《党组议事规则》，明确大额资金的标准。\n报党组会议审议。",
        lead_leader=world.leader,
        lead_section=world.section,
        responsible_sections=[world.section, world.other_section],
        owner=world.staff,
        deadline_kind=DeadlineKind.DATE,
        deadline=date(2027, 1, 11),
        completed_on=date(2026, 11, 30),
        rules_made=2,
        rules_revised=1,
        funds_recovered=Decimal("12.50"),
        people_held_accountable=3,
    )
    in_workdays = services.create_measure(
        problem,
        by=world.leader,
        text="开展“三重一大”制度执行情况专项检查。",
        lead_leader=world.leader,
        lead_section=world.section,
        owner=world.staff,
        deadline_kind=DeadlineKind.DATE,
        deadline=workdays_after(date(2026, 9, 1), 20),
        deadline_workdays=20,
        deadline_from=date(2026, 9, 1),
    )
    ongoing = services.create_measure(
        problem,
        by=world.leader,
        text="长期坚持集体决策。",
        lead_section=world.other_section,
        deadline_kind=DeadlineKind.ONGOING,
    )
    from zhenggai.ledger import workflow

    workflow.approve_plan(problem, by=world.leader)
    set_disclosure(problem, by=world.leader, disclose=False, reason="涉及个人隐私")
    milestone = record_milestone(
        round,
        Milestone.REPORT,
        by=world.inspector,
        done_on=date(2026, 11, 2),
        due_on=date(2026, 11, 10),
        note="已报区委巡察办",
    )
    notice = default_notice(round)
    for name, value in {
        "phone": "010-12345678",
        "email": "zgb@example.gov.cn",
        "address": "北京市某区某路1号",
        "postcode": "100000",
        "addressee": "区委巡察工作领导小组",
        "next_steps": "持续巩固整改成果。\n建立长效机制。",
        "signed_on": date(2026, 11, 20),
    }.items():
        setattr(notice, name, value)
    notice = save_notice(notice, by=world.rect_office)
    preference = Preference.objects.create(
        user=world.staff,
        by_email=False,
        by_robot=True,
        mobile="13912345678",
        quiet_on_rest_days=False,
        quiet_weekdays=[5, 6],
    )
    point = RatingPoint.objects.create(
        unit=world.unit,
        section=world.section,
        kind=RatingPoint.Kind.WINDOW,
        name="政务服务中心3号窗口（科技项目申报）",
        mode="online",
        active=True,
        created_by=world.evaluator,
    )
    for record in (problem, dated, in_workdays, ongoing):
        record.refresh_from_db()
    return assessment_forms(world) | {
        "point_edit": [
            Form(
                "evaluator",
                reverse("point_edit", args=[point.pk]),
                [point],
                form="main form[method=post]:has(input[name=name])",
            )
        ],
        "round_edit": [Form("inspector", reverse("round_edit", args=[round.pk]), [round])],
        "problem_edit": [Form("inspector", reverse("problem_edit", args=[problem.pk]), [problem])],
        "measure_edit": [
            Form("leader", reverse("measure_edit", args=[m.pk]), [m, problem])
            for m in (dated, in_workdays, ongoing)
        ]
        + [Form("staff", reverse("measure_edit", args=[dated.pk]), [dated, problem])],
        "milestone_edit": [
            Form(
                who,
                reverse("milestone_edit", args=[round.pk, Milestone.REPORT]),
                [milestone, round],
            )
            for who in ("inspector", "rect_office")
        ],
        "reminder_settings": [Form("staff", reverse("reminder_settings"), [preference])],
        "notice_edit": [
            Form(
                "rect_office",
                reverse("notice_edit", args=[round.pk]),
                [notice],
                form="form:has(textarea[name=organisation])",
            )
        ],
        "problem_disclosure": [
            Form("leader", reverse("problem_disclosure", args=[problem.pk]), [problem])
        ],
    }


def assessment_forms(world) -> dict[str, list[Form]]:
    """A group, a scheme with every rule set, an indicator with every field, and a scheduled
    interview, as the office edits them."""
    other = create_unit("区商务局", Unit.Kind.UNIT, world.office)
    group = schemes.save_group(
        world.office, by=world.evaluator, name="部门", units=[world.unit, other]
    )
    scheme = schemes.create_scheme(
        group,
        by=world.evaluator,
        year=2026,
        title="2026年考核办法",
        tie_rule="dense",
        list_size=3,
        bottom_count=2,
        bottom_months=3,
        public_lists=True,
    )
    indicator = schemes.save_indicator(
        scheme.versions.get(),
        by=world.evaluator,
        section="日常工作",
        name="按期整改",
        standard="按季度通报。",
        kind="computed",
        metric="on_time_rate",
        round_kinds=["xuncha", "audit"],
        points=Decimal(40),
        target=Decimal("0.95"),
        deduct_per=Decimal("0.25"),
        floor=Decimal(5),
        cap=Decimal(42),
    )
    interview = interviews.open_interview(
        world.office, world.unit, by=world.evaluator, reason="连续两个月排名末位。"
    )
    interview = interviews.schedule_interview(
        interview,
        by=world.evaluator,
        scheduled_on=date(2027, 1, 11),
        interviewer="区营商办主任 张明",
        interviewees="区科技局局长 李华",
        place="区政务中心三楼会议室",
    )
    office = "evaluator"
    return {
        "group_edit": [Form(office, reverse("group_edit", args=[group.pk]), [group])],
        "scheme_edit": [Form(office, reverse("scheme_edit", args=[scheme.pk]), [scheme])],
        "indicator_edit": [
            Form(office, reverse("indicator_edit", args=[indicator.pk]), [indicator])
        ],
        "interview_schedule": [
            Form(office, reverse("interview_schedule", args=[interview.pk]), [interview])
        ],
    }


# Every other URL, and why it is not a form that edits a saved record.
NOT_EDIT_FORMS = {
    "home": "a page",
    "healthz": "a probe",
    "login": "signs in; edits nothing saved",
    "logout": "signs out",
    "round_create": "creates a round",
    "round_detail": "a page",
    "document_upload": "adds a file",
    "document_download": "a download",
    "problem_create": "creates a problem",
    "import_upload": "uploads a document to import",
    "import_preview": "a preview built from the document, not from saved records",
    "round_import_upload": "uploads a document to set up a new round from",
    "round_import_preview": "a new round proposed from the document, not a saved record",
    "import_progress": "a partial the page polls while the worker reads a document",
    "import_page_image": "an image of a scanned page",
    "import_discard": "an action: gives a draft up",
    "round_import_progress": "a partial the page polls while the worker reads a document",
    "round_import_page_image": "an image of a scanned page",
    "round_import_discard": "an action: gives a draft up",
    "import_sample": "a download",
    "round_ledger_xlsx": "a download",
    "notice_download": "a download",
    "notice_publish": "an action (publish), with a note",
    "notice_unpublish": "an action (withdraw), with a reason",
    "template_download": "a download",
    "template_upload": "replaces a file; nothing to prefill",
    "template_reset": "an action (back to the built-in template)",
    "opinion_list": "a page",
    "opinion_triage": "an action on an opinion, with a note",
    "public_notices": "a page",
    "public_notice": "a page with a form for a new opinion",
    "ledger": "a page with filters (GET)",
    "ledger_xlsx": "a download",
    "ledger_bulk": "an action on many problems; nothing to prefill",
    "my_tasks": "a page",
    "dashboard": "a page",
    "escalation_list": "a page",
    "escalation_create": "creates a supervision order",
    "escalation_answer": "an action: answers an order",
    "escalation_decide": "an action: closes or returns an order",
    "notification_list": "a page",
    "problem_detail": "a page",
    "problem_transition": "an action of the workflow, with a note",
    "measure_create": "creates a measure",
    "measure_withdraw": "an action (withdraw), with a reason",
    "report_create": "creates a progress report",
    "flag_create": "creates a concern",
    "flag_answer": "an action: answers a concern",
    "flag_close": "an action: closes an answered concern, with a note",
    "flag_send_back": "an action: sends an answer back, with a reason",
    "evidence_download": "a download",
    "change_requests": "a page",
    "change_request_decide": "an action: decides a request",
    "rate": "the public's form for a new rating",
    "rate_thanks": "a page",
    "evaluation_home": "a page with a period to choose (GET)",
    "evaluation_unit": "a page",
    "rating_list": "a page with filters (GET)",
    "rating_detail": "a page",
    "callback_create": "records a new call back",
    "appeal_create": "files a new appeal",
    "appeal_list": "a page",
    "appeal_decide": "an action: decides an appeal, with a reason",
    "appeal_evidence": "a download",
    "point_list": "a page with filters (GET)",
    "point_create": "creates a rating point",
    "point_deactivate": "an action (stop taking ratings)",
    "point_poster": "a download",
    "unit_posters": "a download",
    "bulletin_list": "a page",
    "bulletin_new": "a preview of a new 通报 and the action that issues it",
    "bulletin_detail": "a page: a 通报 as issued, never edited",
    "bulletin_docx": "a download",
    "bulletin_xlsx": "a download",
    "rating_import_list": "a page",
    "rating_import_upload": "uploads a platform's export to import",
    "rating_import_template": "a download",
    "rating_import_preview": "a preview built from the file, not from saved records",
    "rating_import_confirm": "an action: imports the previewed rows",
    "rating_import_discard": "an action: discards the draft",
    "directory_home": "a page, and the upload of a directory workbook to preview",
    "directory_template": "a download",
    "directory_export": "a download",
    "directory_preview": "a preview built from the uploaded workbook, not from saved records",
    "directory_confirm": "an action: applies the previewed plan",
    "directory_discard": "an action: discards the preview",
    "setup": "the first run: creates the first office and administrator, once",
    "oidc_authentication_init": "sends the browser to the identity service",
    "oidc_authentication_callback": "signs in the person the identity service names",
    "two_factor_verify": "the second step of signing in: a code, nothing saved",
    "two_factor_enrol": "binds a new authenticator: nothing saved is shown to edit",
    "account_security": "a page of the person's two-factor state, with actions",
    "two_factor_regenerate": "an action: makes new recovery codes",
    "two_factor_off": "an action: turns two-factor sign-in off",
    "assessment_home": "a page, and the form that starts a new month",
    "month_open": "starts a new month",
    "month_detail": "a page",
    "month_compute": "an action: computes the month again",
    "month_review": "an action, with a note",
    "month_reopen": "an action, with a reason",
    "month_lock": "an action",
    "month_publish": "an action",
    "month_history": "a page",
    "unit_sheet": "a page",
    "entry_create": "enters a new deduction or addition",
    "entry_withdraw": "an action: withdraws an entry, with a reason",
    "entry_file": "a download",
    "figure_detail": "a page",
    "month_bulletin_docx": "a download",
    "month_ranking_xlsx": "a download",
    "assessment_trends": "a page",
    "public_lists": "a public page",
    "public_lists_index": "a public page",
    "api_tokens": "creates a new token (a token is never edited)",
    "api_token_revoke": "an action: revokes a token",
    "push_keys": "creates a new push key (a key is never edited)",
    "push_key_revoke": "an action: revokes a push key",
    "scheme_list": "a page",
    "group_create": "creates a group",
    "scheme_create": "creates a scheme",
    "scheme_version": "a page",
    "version_new": "creates a draft version",
    "version_issue": "an action: issues a draft",
    "indicator_create": "adds an indicator",
    "indicator_delete": "an action: deletes a draft's indicator",
    "interview_list": "a page",
    "interview_create": "opens a new interview",
    "interview_detail": "a page",
    "interview_record": "records an interview once held (never edited after)",
    "clue_list": "a page",
    "clue_create": "hands a new clue",
    "clue_receive": "an action: signs for a clue",
    "score_import_template": "a download",
    "score_import_upload": "uploads a file of scores to import",
    "score_import_preview": "a preview built from the file, not from saved records",
    "score_import_confirm": "an action: applies the previewed scores",
    # The papers (issue 17): downloads, pages and one-way actions, none editing a saved record.
    "round_lists_xlsx": "a download",
    "ledger_lists_xlsx": "a download",
    "problem_closeout_docx": "a download",
    "problem_closeout_pdf": "a download",
    "round_closeout_docx": "a download",
    "round_closeout_pdf": "a download",
    "order_docx": "a download",
    "order_pdf": "a download",
    "order_attachment": "a download",
    "dispatch_sheet": "a page",
    "dispatch_xlsx": "a download",
    "dispatch_docx": "a download",
    "progress_sheet_download": "a download",
    "progress_import_list": "a page",
    "progress_import_upload": "uploads a sheet to preview",
    "progress_import_detail": "a page (the preview or the record)",
    "progress_import_status": "a partial the page polls while the worker applies an import",
    "progress_import_confirm": "applies a previewed import",
    "progress_import_discard": "discards a previewed import",
    "public_opinion_track": "looks up a reply by its code",
}
EDIT_FORMS = {
    "group_edit",
    "scheme_edit",
    "indicator_edit",
    "interview_schedule",
    "round_edit",
    "problem_edit",
    "measure_edit",
    "milestone_edit",
    "reminder_settings",
    "notice_edit",
    "problem_disclosure",
    "point_edit",
}


def state_of(record: models.Model) -> dict:
    """Every stored value of the record, many-to-many relations included."""
    record = type(record).objects.get(pk=record.pk)
    values = {f.attname: getattr(record, f.attname) for f in record._meta.concrete_fields}
    for m2m in record._meta.many_to_many:
        values[m2m.name] = sorted(getattr(record, m2m.name).values_list("pk", flat=True))
    return values


def test_every_url_is_an_edit_form_or_says_why_not():
    names = set(url_names()) | set(evaluation_url_names()) | assessment_url_names()
    assert not EDIT_FORMS & set(NOT_EDIT_FORMS)
    assert names - EDIT_FORMS - set(NOT_EDIT_FORMS) == set(), "decide: edit form or not?"
    assert (EDIT_FORMS | set(NOT_EDIT_FORMS)) - names == set(), "no longer a URL"


@pytest.mark.parametrize("name", sorted(EDIT_FORMS))
def test_saving_an_edit_form_unchanged_changes_nothing(
    name, sign_in, live_server, transactional_db
):
    world = make_world()
    cases = filled(world)
    assert set(cases) == EDIT_FORMS
    for case in cases[name]:
        before = [state_of(r) for r in case.records]
        events = Event.objects.count()
        page = sign_in(case.who)
        page.goto(f"{live_server.url}{case.url}")
        form = page.locator(case.form)
        expect(form).to_have_count(1)
        with page.expect_navigation():
            form.locator("button[type=submit], button:not([type])").first.click()
        refused = page.locator(".errors, .error, .has-error, .msg-error")
        assert refused.count() == 0, f"{case.url}: {refused.all_inner_texts()}"
        assert [state_of(r) for r in case.records] == before, f"{case.who} at {case.url}"
        assert Event.objects.count() == events, list(Event.objects.values("action", "changes"))
        page.context.close()
