"""The evaluation office's push keys for rating devices and platforms: made (the text shown
once), listed, revoked. Only the 评价办 of an office sees the page, and only its own keys."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from zhenggai.api.push_keys import NAME_MAX, create_push_key, revoke_push_key
from zhenggai.api.push_models import PushKey
from zhenggai.evaluations.models import RatingPoint
from zhenggai.evaluations.offices import evaluation_offices
from zhenggai.evaluations.points import units_for_points
from zhenggai.lib.errors import Refused
from zhenggai.lib.http import posted
from zhenggai.lib.views import require

PAGE = "api/push_keys.html"


class PushKeyForm(forms.Form):
    office = forms.ModelChoiceField(label="评价机构", queryset=None, empty_label=None)
    name = forms.CharField(
        label="设备或平台", max_length=NAME_MAX, help_text="如“政务服务中心一楼评价器3号”。"
    )
    points = forms.ModelMultipleChoiceField(
        label="评价点",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text="该设备或平台只能推送这些评价点的评价。",
    )

    def __init__(self, data=None, *, user):
        super().__init__(data)
        offices = evaluation_offices(user).order_by("name")
        self.fields["office"].queryset = offices
        units = units_for_points(user, manage=True)
        self.fields["points"].queryset = (
            RatingPoint.objects.active()
            .filter(unit__in=units)
            .select_related("unit")
            .order_by("unit__name", "name")
        )
        self.fields["points"].label_from_instance = lambda p: f"{p.unit.name} · {p.name}"
        if len(offices) == 1:
            self.fields["office"].widget = forms.HiddenInput()
            self.fields["office"].initial = offices[0].pk


def _context(request, form, made=None) -> dict:
    keys = PushKey.objects.filter(office__in=evaluation_offices(request.user))
    keys = keys.select_related("office").prefetch_related("points__unit")
    return {"form": form, "keys": keys, "made": made}


@login_required
def push_keys(request):
    require(evaluation_offices(request.user).exists(), "not of an evaluation office")
    form = PushKeyForm(posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            key, text = create_push_key(
                data["office"], by=request.user, name=data["name"], points=data["points"]
            )
        except Refused as exc:
            form.add_error(None, exc.message)
        else:
            fresh = PushKeyForm(user=request.user)
            response = render(request, PAGE, _context(request, fresh, (key, text)))
            response["Cache-Control"] = "no-store"  # the key's text is shown this once
            return response
    status = 400 if form.is_bound else 200
    return render(request, PAGE, _context(request, form), status=status)


@login_required
@require_POST
def push_key_revoke(request, pk):
    key = get_object_or_404(PushKey, pk=pk, office__in=evaluation_offices(request.user))
    revoke_push_key(key, by=request.user)
    messages.success(request, f"密钥“{key.name}”已撤销，该设备或平台不能再推送评价。")
    return redirect("push_keys")
