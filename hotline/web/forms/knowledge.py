"""The forms of the knowledge pages (``web/views/knowledge.py``)."""

from django import forms

from hotline.directory.models import Category, Unit
from hotline.domain import knowledge_search as rules
from hotline.forms.text_fields import FreeTextField, SingleLineField
from hotline.knowledge import services

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ArticleForm(forms.Form):
    question = SingleLineField(label="问题", max_length=rules.QUESTION_MAX)
    answer = FreeTextField(
        label="标准答案", max_length=rules.ANSWER_MAX, widget=forms.Textarea(attrs={"rows": 6})
    )
    category = forms.ModelChoiceField(
        label="事项分类",
        queryset=Category.objects.filter(active=True),
        to_field_name="code",
        required=False,
        empty_label="（不限）",
        error_messages={"invalid_choice": "所选事项分类不存在或已停用"},
    )
    owner_unit = forms.ModelChoiceField(
        label="责任单位",
        queryset=Unit.objects.filter(active=True),
        to_field_name="code",
        required=False,
        empty_label="热线办",
        error_messages={"invalid_choice": "所选单位不存在或已停用"},
    )
    source = SingleLineField(label="来源（政策依据）", max_length=rules.SOURCE_MAX, required=False)
    valid_from = forms.DateField(
        label="有效期起", required=False, widget=_DATE, error_messages={"invalid": "日期格式不对"}
    )
    valid_to = forms.DateField(
        label="有效期止", required=False, widget=_DATE, error_messages={"invalid": "日期格式不对"}
    )

    def __init__(self, *args, unit_handler: bool = False, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["required"] = f"请填写{field.label}"
            field.error_messages["max_length"] = f"{field.label}最多 %(limit_value)d 字"
        if unit_handler:  # a unit's articles are always its own
            del self.fields["owner_unit"]

    def article_input(self, unit_handler_unit=None) -> services.ArticleInput:
        data = self.cleaned_data
        return services.ArticleInput(
            question=data["question"],
            answer=data["answer"],
            category=data.get("category"),
            owner_unit=data.get("owner_unit", unit_handler_unit),
            source=data.get("source", ""),
            valid_from=data.get("valid_from"),
            valid_to=data.get("valid_to"),
        )


class SynonymsForm(forms.Form):
    synonyms = FreeTextField(
        label="同义词（每行一组，词之间用空格分隔）",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
