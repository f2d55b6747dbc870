from django.contrib import admin
from django.urls import include, path

from zhenggai.ledger import flag_views as flags
from zhenggai.ledger import import_views as imports
from zhenggai.ledger import views as ledger
from zhenggai.orgs import views as orgs
from zhenggai.pages import notice as notice_page
from zhenggai.pages import problem as problem_page
from zhenggai.pages import rounds as round_page
from zhenggai.pages import tasks
from zhenggai.public import views as public
from zhenggai.reports import views as reports
from zhenggai.rounds import views as rounds
from zhenggai.supervision import views as supervision

urlpatterns = [
    path("", rounds.home, name="home"),
    path("healthz/", rounds.healthz, name="healthz"),
    path("login/", orgs.LoginView.as_view(), name="login"),
    path("logout/", orgs.logout_view, name="logout"),
    path("rounds/new/", rounds.round_create, name="round_create"),
    path("rounds/import/", imports.round_import_upload, name="round_import_upload"),
    path("rounds/import/<int:pk>/", imports.round_import_preview, name="round_import_preview"),
    path("rounds/<int:pk>/", round_page.round_detail, name="round_detail"),
    path("rounds/<int:pk>/edit/", rounds.round_edit, name="round_edit"),
    path("rounds/<int:pk>/documents/new/", rounds.document_upload, name="document_upload"),
    path(
        "rounds/<int:pk>/documents/<int:doc_pk>/",
        rounds.document_download,
        name="document_download",
    ),
    path("rounds/<int:round_pk>/problems/new/", ledger.problem_create, name="problem_create"),
    path("rounds/<int:round_pk>/import/", imports.import_upload, name="import_upload"),
    path("rounds/<int:round_pk>/import/<int:pk>/", imports.import_preview, name="import_preview"),
    path("rounds/<int:pk>/ledger.xlsx", reports.round_ledger_xlsx, name="round_ledger_xlsx"),
    path("rounds/<int:round_pk>/notice/", notice_page.notice_edit, name="notice_edit"),
    path(
        "rounds/<int:round_pk>/notice/files/<str:name>",
        reports.notice_download,
        name="notice_download",
    ),
    path("rounds/<int:round_pk>/notice/publish/", reports.notice_publish, name="notice_publish"),
    path(
        "rounds/<int:round_pk>/notice/unpublish/",
        reports.notice_unpublish,
        name="notice_unpublish",
    ),
    path(
        "rounds/<int:round_pk>/templates/<slug:kind>.docx",
        reports.template_download,
        name="template_download",
    ),
    path(
        "rounds/<int:round_pk>/templates/<slug:kind>/upload/",
        reports.template_upload,
        name="template_upload",
    ),
    path(
        "rounds/<int:round_pk>/templates/<slug:kind>/reset/",
        reports.template_reset,
        name="template_reset",
    ),
    path("rounds/<int:round_pk>/opinions/", public.opinion_list, name="opinion_list"),
    path("opinions/<int:pk>/triage/", public.opinion_triage, name="opinion_triage"),
    path("public/notices/", public.notice_list, name="public_notices"),
    path("public/notices/<int:pk>/", public.notice_page, name="public_notice"),
    path("ledger/", ledger.ledger, name="ledger"),
    path("ledger/export.xlsx", reports.ledger_xlsx, name="ledger_xlsx"),
    path("ledger/bulk/", ledger.ledger_bulk, name="ledger_bulk"),
    path("my/", tasks.my_tasks, name="my_tasks"),
    path("dashboard/", supervision.dashboard, name="dashboard"),
    path("escalations/", supervision.escalation_list, name="escalation_list"),
    path(
        "problems/<int:pk>/escalations/new/",
        supervision.escalation_create,
        name="escalation_create",
    ),
    path("escalations/<int:pk>/answer/", supervision.escalation_answer, name="escalation_answer"),
    path("escalations/<int:pk>/decide/", supervision.escalation_decide, name="escalation_decide"),
    path(
        "rounds/<int:round_pk>/milestones/<slug:milestone>/",
        supervision.milestone_edit,
        name="milestone_edit",
    ),
    path("my/reminders/", supervision.reminder_settings, name="reminder_settings"),
    path("notifications/", supervision.notification_list, name="notification_list"),
    path("problems/<int:pk>/", problem_page.problem_detail, name="problem_detail"),
    path("problems/<int:pk>/edit/", ledger.problem_edit, name="problem_edit"),
    path("problems/<int:pk>/do/<slug:name>/", ledger.problem_transition, name="problem_transition"),
    path("problems/<int:pk>/measures/new/", ledger.measure_create, name="measure_create"),
    path("problems/<int:pk>/reports/new/", ledger.report_create, name="report_create"),
    path("problems/<int:pk>/flags/new/", flags.flag_create, name="flag_create"),
    path("flags/<int:pk>/answer/", flags.flag_answer, name="flag_answer"),
    path("flags/<int:pk>/close/", flags.flag_close, name="flag_close"),
    path("flags/<int:pk>/send-back/", flags.flag_send_back, name="flag_send_back"),
    path("problems/<int:pk>/disclosure/", reports.problem_disclosure, name="problem_disclosure"),
    path("measures/<int:pk>/edit/", ledger.measure_edit, name="measure_edit"),
    path("measures/<int:pk>/withdraw/", ledger.measure_withdraw, name="measure_withdraw"),
    path("evidence/<int:pk>/", ledger.evidence_download, name="evidence_download"),
    path("requests/", ledger.change_requests, name="change_requests"),
    path("requests/<int:pk>/decide/", ledger.change_request_decide, name="change_request_decide"),
    path("", include("zhenggai.ledger.urls")),
    path("", include("zhenggai.ledger.progress_urls")),
    path("", include("zhenggai.reports.plan_urls")),
    path("", include("zhenggai.reports.paper_urls")),
    path("", include("zhenggai.supervision.order_urls")),
    path("", include("zhenggai.supervision.dispatch_urls")),
    path("", include("zhenggai.public.tracking_urls")),
    path("", include("zhenggai.evaluations.urls")),
    path("", include("zhenggai.assessments.urls")),
    path("", include("zhenggai.api.urls")),
    path("", include("zhenggai.api.token_urls")),
    path("", include("zhenggai.api.push_key_urls")),
    path("", include("zhenggai.orgs.directory_urls")),
    path("", include("zhenggai.accounts.two_factor_urls")),
    path("", include("zhenggai.accounts.urls")),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "整改闭环管理系统 · 系统管理"
admin.site.site_title = "整改系统管理"
