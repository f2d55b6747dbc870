"""Published notices for the public (no login), opinions on them, and their triage."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhenggai.ledger.models import Event
from zhenggai.lib.device import device_token, give_device
from zhenggai.lib.errors import Refused
from zhenggai.lib.http import client_address, posted
from zhenggai.lib.views import require
from zhenggai.public import services, tracking
from zhenggai.public.forms import REPLY_HELP, OpinionForm, TrackingForm, TriageForm
from zhenggai.public.models import Opinion, get_opinion_for_user
from zhenggai.reports.models import Notice, get_notice_for_user
from zhenggai.reports.services import may_write_notice

# The session key under which a sent opinion's code waits for the page after the redirect:
# shown there once, never put in a URL, a message cookie or an e-mail.
ISSUED_CODE = "public_opinion_code"


@require_GET
def notice_list(request):
    notices = Notice.objects.published().order_by("-published_at", "-id")
    page = Paginator(notices.only("published_content", "published_at"), 20).get_page(
        request.GET.get("page")
    )
    return render(request, "public/notice_list.html", {"page": page})


def notice_page(request, pk):
    notice = get_object_or_404(Notice.objects.published(), pk=pk)
    form = OpinionForm(posted(request))
    context = {"notice": notice, "content": notice.published_content, "form": form}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not data["website"]:  # a robot's submission is dropped, and told nothing
            try:
                opinion = services.send_opinion(
                    notice,
                    text=data["text"],
                    name=data["name"],
                    contact=data["contact"],
                    sender=client_address(request),
                    device=device_token(request),
                )
            except Refused as exc:
                messages.error(request, exc.message)
                return render(request, "public/notice.html", context, status=429)
            request.session[ISSUED_CODE] = tracking.grouped(opinion.tracking_code)
        messages.success(request, "您的意见已提交，我们将认真研究处理，感谢您的监督。")
        return redirect(reverse("public_notice", args=[pk]) + "#opinion")
    context["tracking_code"] = request.session.pop(ISSUED_CODE, None)
    response = render(request, "public/notice.html", context)
    if context["tracking_code"]:
        add_never_cache_headers(response)  # the code is for this person's eyes only
    return give_device(request, response)


@require_http_methods(["GET", "POST"])
def opinion_track(request):
    """The sender of an opinion reads its reply with their tracking code. Posted, so that codes
    stay out of addresses, logs and referrers; the result is rendered at once, never stored."""
    form = TrackingForm(posted(request))
    context, status = {"form": form}, 200
    if request.method == "POST" and form.is_valid():
        try:
            context["reply"] = services.look_up_reply(
                form.cleaned_data["code"],
                sender=client_address(request),
                device=device_token(request),
            )
        except Refused as exc:
            context["refusal"], status = exc.message, 429
        else:
            context["not_found"] = context["reply"] is None
    response = render(request, "public/opinion_track.html", context, status=status)
    add_never_cache_headers(response)
    return give_device(request, response)


@login_required
@require_GET
def opinion_list(request, round_pk):
    notice = get_notice_for_user(request.user, round_pk)
    opinions = (
        Opinion.objects.visible_to(request.user)
        .filter(notice_id=notice.pk)
        .select_related("handled_by")
    )
    status = request.GET.get("status", "")
    if status in Opinion.Status.values:
        opinions = opinions.filter(status=status)
    page = Paginator(opinions, 30).get_page(request.GET.get("page"))
    history = {}
    for event in (
        Event.objects.filter(object_type="opinion", object_id__in=[o.pk for o in page])
        .select_related("actor")
        .order_by("at", "id")
    ):
        history.setdefault(event.object_id, []).append(event)
    for opinion in page:
        opinion.history = history.get(opinion.pk, [])
    context = {
        "notice": notice,
        "round": notice.round,
        "page": page,
        "may_see_contacts": services.may_see_contacts(request.user, notice),
        "status": status,
        "statuses": Opinion.Status.choices,
        "may_triage": may_write_notice(request.user, notice.round.unit_id),
        "form": TriageForm(),
        "reply_help": REPLY_HELP,
    }
    return render(request, "public/opinions.html", context)


@login_required
@require_POST
def opinion_triage(request, pk):
    opinion = get_opinion_for_user(request.user, pk)
    require(services.may_triage(request.user, opinion), "may not triage opinions")
    form = TriageForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择处理结果。")
    else:
        try:
            services.triage_opinion(opinion, by=request.user, **form.cleaned_data)
        except Refused as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "处理结果已保存。")
    return redirect("opinion_list", opinion.notice.round_id)
