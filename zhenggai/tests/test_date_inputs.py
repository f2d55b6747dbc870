"""Date inputs render ISO 8601, the only value `<input type="date">` shows; the zh-hans forms
people may type are still read."""

from datetime import date

from django import forms
from django.utils import translation


class _Form(forms.Form):
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))


def test_a_saved_date_renders_as_iso():
    with translation.override("zh-hans"):
        assert 'value="2027-01-11"' in str(_Form(initial={"day": date(2027, 1, 11)})["day"])


def test_the_chinese_forms_of_a_date_are_still_read():
    with translation.override("zh-hans"):
        for typed in ("2027-01-11", "2027/01/11"):
            form = _Form({"day": typed})
            assert form.is_valid() and form.cleaned_data["day"] == date(2027, 1, 11)
