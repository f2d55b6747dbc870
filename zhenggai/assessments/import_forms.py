"""The forms of the import of third-party scores: the file, and the confirmation (with the
correction's reason once the month is locked)."""

from django import forms

from zhenggai.assessments.score_imports import MAX_BYTES


class ScoreUploadForm(forms.Form):
    file = forms.FileField(
        label="评分表",
        help_text=f"Excel（.xlsx），不超过 {MAX_BYTES // (1024 * 1024)} MB；按文件内容识别，不看扩展名。",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


class ScoreConfirmForm(forms.Form):
    correction_reason = forms.CharField(
        label="更正理由",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="考核已锁定，导入即为更正，须写明理由，记入考核历史。",
    )

    def __init__(self, *args, frozen: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.frozen = frozen
        if frozen:
            self.fields["correction_reason"].required = True
            self.fields["correction_reason"].error_messages["required"] = (
                "考核已锁定，更正须填写更正理由。"
            )
        else:
            del self.fields["correction_reason"]
