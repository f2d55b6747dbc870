"""The second step's forms: one code field, and the enrolment's first code (with a current code
when an authenticator is being replaced)."""

from django import forms


class CodeInput(forms.TextInput):
    """A code is never shown back: after a refused one the field is empty for the next."""

    def format_value(self, value):
        return None


def _code_field(label: str, help_text: str = "", *, digits_only: bool = False) -> forms.CharField:
    attrs = {"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}
    if digits_only:
        attrs["inputmode"] = "numeric"
    return forms.CharField(
        label=label,
        max_length=32,
        help_text=help_text,
        widget=CodeInput(attrs=attrs),
        error_messages={"required": "请输入验证码。"},
    )


class CodeForm(forms.Form):
    code = _code_field("验证码", "身份验证器上的6位数字；手机不在身边时，可输入一个恢复码。")


class EnrolForm(forms.Form):
    code = _code_field("验证器显示的6位数字", digits_only=True)

    def __init__(self, *args, replacing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if replacing:
            self.fields["current"] = _code_field(
                "原验证器的验证码", "更换前请先输入原验证器上的6位数字，或一个恢复码。"
            )
            self.order_fields(["current", "code"])
