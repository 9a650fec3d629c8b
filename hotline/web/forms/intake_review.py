"""The intake review form (SPEC 3, 2026-12): an online order's classification and the
operator's outcome. Whether the order may take it is the services' decision."""

from django import forms

from hotline.domain.enums import AppealType
from hotline.domain.intake import ADDRESS_MAX, CONTENT_MAX
from hotline.forms.text_fields import FreeTextField, SingleLineField
from hotline.orders.services.intake_review import Classification
from hotline.web.forms.intake import (
    OutcomeFields,
    PlainLabels,
    category_field,
    region_field,
    vocabulary_choices,
)

# The outcome buttons; "queue" classifies the order and leaves it to the dispatcher.
OUTCOMES = {
    "dispatch": "转派",
    "queue": "交派单员派单",
    "answer": "网上答复",
    "reject": "不予受理",
    "transfer": "即时转办",
}
# Outcomes that need the order classified first; a rejection or an emergency does not.
CLASSIFIED = ("dispatch", "queue", "answer")


class ReviewForm(PlainLabels, OutcomeFields):
    use_required_attribute = False

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    appeal_type = forms.ChoiceField(
        label="诉求类型", choices=vocabulary_choices(AppealType, "请选择诉求类型"), required=False
    )
    category = category_field()
    region = region_field()
    address = SingleLineField(label="地址（如需更正）", max_length=ADDRESS_MAX, required=False)
    text = FreeTextField(
        label="网上答复内容（经原渠道回复市民）",
        max_length=CONTENT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    action = forms.ChoiceField(
        choices=list(OUTCOMES.items()),
        error_messages={"required": "请选择受理结果", "invalid_choice": "没有这项受理结果"},
    )

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action in CLASSIFIED:
            for name, message in (
                ("category", "请选择事项分类"),
                ("region", "请选择区域"),
                ("appeal_type", "请选择诉求类型"),
            ):
                if not data.get(name):
                    self.add_error(name, message)
        if action == "answer" and not data.get("text"):
            self.add_error("text", "网上答复须填写答复内容")
        self.check_outcome(data, action)
        return data

    def classification(self) -> Classification | None:
        """What the operator decided of the order, when every part of it was given."""
        data = self.cleaned_data
        if not (data.get("category") and data.get("region") and data.get("appeal_type")):
            return None
        return Classification(
            category=data["category"],
            region=data["region"],
            appeal_type=data["appeal_type"],
            address=data["address"].strip(),
        )
