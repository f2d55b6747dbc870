"""A person's own API tokens: made (the text shown once), listed, revoked."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from zhenggai.api.forms import TokenForm
from zhenggai.api.models import ApiToken
from zhenggai.api.tokens import create_token, revoke_token
from zhenggai.lib.errors import Refused
from zhenggai.lib.http import posted

PAGE = "api/tokens.html"


def _context(request, form, made=None) -> dict:
    tokens = ApiToken.objects.filter(user=request.user)
    return {"form": form, "tokens": tokens, "made": made}


@login_required
def api_tokens(request):
    form = TokenForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            token, text = create_token(request.user, **form.cleaned_data)
        except Refused as exc:
            form.add_error(None, exc.message)
        else:
            response = render(request, PAGE, _context(request, TokenForm(), (token, text)))
            response["Cache-Control"] = "no-store"  # the token's text is shown this once
            return response
    status = 400 if form.is_bound else 200
    return render(request, PAGE, _context(request, form), status=status)


@login_required
@require_POST
def api_token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    revoke_token(token, by=request.user)
    messages.success(request, f"令牌“{token.name}”已撤销。")
    return redirect("api_tokens")
