"""The public rating page (no login): what a phone opens from a point's QR code."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from zhenggai.evaluations.models import RatingPoint
from zhenggai.evaluations.point_forms import RatingForm
from zhenggai.evaluations.posters import collector_name
from zhenggai.evaluations.services.ratings import submit_rating
from zhenggai.evaluations.values import Channel, Mode
from zhenggai.lib.device import device_token, give_device
from zhenggai.lib.errors import Refused
from zhenggai.lib.http import client_address, posted
from zhenggai.lib.request_limits import body_limit

# A rating is a few short fields: a body larger than this is refused unread (Chinese page).
# People not signed in are held to the site's smaller anonymous limit before this one.
RATE_MAX_BYTES = 32 * 1024


def _point(code: str) -> RatingPoint | None:
    return RatingPoint.objects.select_related("unit", "section").filter(code=code).first()


def _missing(request):
    return render(request, "evaluations/rate_missing.html", status=404)


def _channel(request) -> str:
    channel = request.GET.get("c", "")
    return channel if channel in Channel.values else Channel.QR


def _page(request, point, form, channel, status=200, refused=""):
    context = {
        "point": point,
        "form": form,
        "channel": Channel(channel),
        "on_site": point.mode == Mode.ON_SITE,
        "collector": collector_name(point.unit),
        "refused": refused,
    }
    return give_device(request, render(request, "evaluations/rate.html", context, status=status))


@body_limit(RATE_MAX_BYTES)
def rate(request, code):
    point = _point(code)
    if point is None:
        return _missing(request)
    channel = _channel(request)
    form = RatingForm(posted(request), point=point)
    if request.method != "POST":
        return _page(request, point, form, channel)
    if not form.is_valid():
        return _page(request, point, form, channel, status=400)
    try:
        rating = submit_rating(
            point,
            values=form.values(channel),
            client=client_address(request),
            device=device_token(request),
        )
    except Refused as exc:
        return _page(request, point, form, channel, status=400, refused=exc.message)
    # What the thanks page says: a 差评 is handled; a first rating of a case may be followed up.
    said = {"d": rating.is_bad, "f": bool(rating.case_number) and not rating.follow_up_of_id}
    query = "&".join(f"{key}=1" for key, value in said.items() if value)
    thanks = reverse("rate_thanks", args=[point.code])
    return redirect(f"{thanks}?{query}" if query else thanks)


@require_GET
def rate_thanks(request, code):
    point = _point(code)
    if point is None:
        return _missing(request)
    context = {
        "point": point,
        "bad": request.GET.get("d") == "1",
        "may_follow_up": request.GET.get("f") == "1",
    }
    return render(request, "evaluations/rate_thanks.html", context)
