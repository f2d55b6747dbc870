import json

from django.conf import settings
from oauth2_provider.oauth2_validators import OAuth2Validator


class DirectoryClaims(OAuth2Validator):
    """Each provider user's `preferred_username` and `employee_number`, from claims.json: what a
    city's unified identity service would assert about the person."""

    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "employee_number": "profile"}

    def get_additional_claims(self, request):
        claims = json.loads((settings.DIR / "claims.json").read_text())
        return claims.get(request.user.username, {})
