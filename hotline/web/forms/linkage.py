"""The linkage list's filter (``web/views/linkage.py``): a month and a direction."""

from datetime import date, datetime, time

from django import forms

from hotline.domain.deadlines import LOCAL_TZ

DIRECTIONS = {"out": "12345 转出（即时转办）", "in": "110 转入"}


class LinkageFilter(forms.Form):
    month = forms.CharField(
        label="月份",
        required=False,
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month"}),
        error_messages={"max_length": "月份格式应为 2026-12"},
    )
    direction = forms.ChoiceField(
        label="方向", choices=list(DIRECTIONS.items()), required=False, initial="out"
    )

    def __init__(self, *args, today: date, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_month(self) -> date:
        text = self.cleaned_data["month"]
        if not text:
            return self.today.replace(day=1)
        try:
            return date.fromisoformat(f"{text}-01")
        except ValueError:
            raise forms.ValidationError("月份格式应为 2026-12") from None

    def clean_direction(self) -> str:
        return self.cleaned_data["direction"] or "out"

    def span(self) -> tuple[datetime, datetime]:
        """The month as [since, until) in the hotline's time zone."""
        first = self.cleaned_data["month"]
        following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        return (
            datetime.combine(first, time.min, LOCAL_TZ),
            datetime.combine(following, time.min, LOCAL_TZ),
        )
