"""The forms of the unit pages (``web/views/unit.py``)."""

from django import forms

from hotline.forms.text_fields import FreeTextField


class ReplyForm(forms.Form):
    label_suffix = ""

    text = FreeTextField(
        label="答复内容",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="写明办理过程、结果和依据，不要只写“已转交”。",
        error_messages={"required": "请填写答复内容"},
    )
    contacted = forms.BooleanField(label="已联系诉求人", required=False, initial=True)
    # SPEC 6: a reply that says resolved against a callback that says not solved is a
    # violation (答复与回访不符), so the unit answers the question itself.
    resolved = forms.TypedChoiceField(
        label="问题是否解决",
        choices=[("true", "问题已解决"), ("false", "未解决（请在答复中说明原因）")],
        coerce=lambda value: value == "true",
        widget=forms.RadioSelect,
        error_messages={"required": "请选择问题是否已解决"},
    )
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
