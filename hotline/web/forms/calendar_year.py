"""The form of the whole-year holiday entry (SPEC 4, 2026-12)."""

from django import forms

from hotline.web.forms.office import EARLIEST_YEAR, LATEST_YEAR

# An uploaded schedule is one year of rows: a few kilobytes.
MAX_FILE_BYTES = 1_000_000


class HolidayYearForm(forms.Form):
    year = forms.IntegerField(
        label="年份",
        min_value=EARLIEST_YEAR,
        max_value=LATEST_YEAR,
        error_messages={
            "required": "请填写年份",
            "invalid": "年份须为整数",
            "min_value": f"年份须在 {EARLIEST_YEAR}–{LATEST_YEAR} 之间",
            "max_value": f"年份须在 {EARLIEST_YEAR}–{LATEST_YEAR} 之间",
        },
    )
    notice = forms.CharField(
        label="粘贴国务院通知",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="如：一、元旦：1月1日（周五）至3日（周日）放假调休，共3天。1月4日（周一）上班。",
        error_messages={"max_length": "通知内容过长"},
    )
    file = forms.FileField(
        label="或上传文件",
        required=False,
        help_text="CSV（UTF-8）或 XLSX，三列：日期（YYYY-MM-DD）、rest 或 work（放假/上班）、说明",
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is not None and upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError("文件过大，一年的安排不应超过 1 MB")
        return upload

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("notice") or "").strip() and not cleaned.get("file"):
            raise forms.ValidationError("请粘贴通知原文或上传文件")
        return cleaned


class HolidayYearSaveForm(forms.Form):
    """The previewed schedule posted back as rows (date,rest|work,name per line)."""

    year = HolidayYearForm.base_fields["year"]
    rows = forms.CharField(max_length=20000, error_messages={"required": "没有可保存的安排"})
