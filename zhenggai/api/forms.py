from django import forms

from zhenggai.api.models import ApiToken
from zhenggai.api.tokens import MAX_DAYS


class TokenForm(forms.Form):
    name = forms.CharField(
        label="用途", max_length=100, help_text="如“OA系统同步台账”，便于日后识别。"
    )
    scope = forms.ChoiceField(
        label="权限",
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.READ,
        widget=forms.RadioSelect,
        help_text="只读令牌只能查询；读写令牌可以按您的权限修改数据。",
    )
    days = forms.IntegerField(
        label="有效期（天）",
        min_value=1,
        max_value=MAX_DAYS,
        initial=90,
        error_messages={
            "min_value": f"有效期须在1～{MAX_DAYS}天之间。",
            "max_value": f"有效期须在1～{MAX_DAYS}天之间。",
            "invalid": "有效期须是整数天数。",
        },
    )
