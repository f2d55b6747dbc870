from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from zhenggai.ledger.models import CLOSED_STATES, State
from zhenggai.lib.errors import NotAllowed, Refused
from zhenggai.lib.http import attachment, posted, posted_files
from zhenggai.lib.request_limits import body_limit
from zhenggai.lib.views import require
from zhenggai.orgs.access import scope_for
from zhenggai.orgs.models import Role
from zhenggai.rounds import services
from zhenggai.rounds.forms import DocumentForm, RoundForm
from zhenggai.rounds.models import InspectionRound, get_round_for_user


@require_GET
def healthz(request):
    """Liveness for load balancers; also the floor the benchmark compares pages against."""
    return JsonResponse({"status": "ok"})


@login_required
@require_GET
def home(request):
    rounds = (
        InspectionRound.objects.visible_to(request.user)
        .select_related("unit")
        .annotate(
            total=Count("problems", filter=~Q(problems__state=State.WITHDRAWN)),
            closed=Count("problems", filter=Q(problems__state__in=CLOSED_STATES)),
            long_term=Count("problems", filter=Q(problems__state=State.LONG_TERM)),
        )
        .order_by("-feedback_date", "-id")
    )
    page = Paginator(rounds, 30).get_page(request.GET.get("page"))
    context = {
        "page": page,
        # An inspection office's role reaches the units below it: those it sets up rounds of.
        "may_create": Role.INSPECTION_OFFICE in scope_for(request.user).all_roles(),
        "may_import": services.may_create_rounds(request.user),
    }
    return render(request, "rounds/home.html", context)


@login_required
def round_create(request):
    form = RoundForm(posted(request), user=request.user)
    units = form.fields["unit"].queryset
    if not units.exists():
        raise PermissionDenied("not an inspection office")
    asked = request.POST.get("unit", "")
    if asked and not units.filter(pk=int(asked) if asked.isdigit() else 0).exists():
        raise Http404("the unit is not one this inspection office covers")
    if request.method == "POST" and form.is_valid():
        try:
            round = services.create_round(by=request.user, **form.cleaned_data)
        except Refused as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "巡察轮次已设立。")
            return redirect("round_detail", pk=round.pk)
    return render(request, "rounds/round_form.html", {"form": form})


@login_required
def round_edit(request, pk):
    round = get_round_for_user(request.user, pk)
    require(services.may_edit_round(request.user, round), "not the inspection office of this round")
    form = RoundForm(posted(request), instance=round, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in services.ROUND_FIELDS}
        try:
            services.update_round(
                InspectionRound.objects.get(pk=round.pk), by=request.user, **fields
            )
        except NotAllowed as exc:
            raise PermissionDenied(exc.reason) from None
        except Refused as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "巡察轮次已修改。")
            return redirect("round_detail", pk=round.pk)
    return render(request, "rounds/round_form.html", {"form": form, "round": round})


@body_limit("UPLOAD_MAX_BYTES")
@login_required
def document_upload(request, pk):
    round = get_round_for_user(request.user, pk)
    form = DocumentForm(posted(request), posted_files(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.attach_document(round, form.cleaned_data["file"], by=request.user)
        except NotAllowed as exc:
            raise PermissionDenied(exc.reason) from None
        except Refused as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "文件已上传。")
            return redirect("round_detail", pk=round.pk)
    return render(request, "rounds/document_form.html", {"form": form, "round": round})


@login_required
@require_GET
def document_download(request, pk, doc_pk):
    round = get_round_for_user(request.user, pk)
    document = get_object_or_404(round.documents, pk=doc_pk)
    return attachment(document.file, document.original_name, document.content_type)
