from django import forms
from django.forms.models import fields_for_model, model_to_dict

from zhenggai.reports.models import Notice
from zhenggai.reports.services import NOTICE_FIELDS


class NoticeForm(forms.Form):
    """The notice's wording; a plain form over the model's fields, so that validating it never
    changes the notice before the service compares old and new."""

    def __init__(self, data=None, *, notice: Notice):
        super().__init__(data, initial=model_to_dict(notice, NOTICE_FIELDS))
        self.fields.update(
            fields_for_model(
                Notice,
                fields=NOTICE_FIELDS,
                widgets={
                    "organisation": forms.Textarea(attrs={"rows": 6}),
                    "next_steps": forms.Textarea(attrs={"rows": 5}),
                    "signed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                },
                help_texts={
                    "organisation": "每段一行；通报“一、整改工作组织推进情况”部分的内容。",
                    "next_steps": "每段一行；留空则不写这一部分。",
                    "addressee": "只用于报告，如“区委巡察工作领导小组”。",
                },
            )
        )


class UnpublishForm(forms.Form):
    reason = forms.CharField(
        label="撤回理由", max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class TemplateUploadForm(forms.Form):
    file = forms.FileField(label="模板文件（.docx）")


class DisclosureForm(forms.Form):
    disclose = forms.TypedChoiceField(
        label="整改通报中",
        choices=[("1", "公开（列入公开版通报）"), ("0", "不公开")],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="不公开理由",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="仅内部可见，如“涉及个人隐私”“涉及国家秘密”。",
    )
