"""The operator's forms: one call taken at the intake screen, and the parts of a split.

They only read what was typed and turn it into the services' input; whether an
order may be answered, dispatched or split is the services' decision.
"""

from django import forms
from django.forms import formset_factory

from hotline.calls.selectors import call_exists
from hotline.directory.models import Category, Region, Tag, Unit
from hotline.domain.enums import (
    AppealType,
    Channel,
    CitizenKind,
    DeputyLevel,
    Disposition,
    EmergencyService,
    RejectReason,
)
from hotline.domain.intake import ADDRESS_MAX, CONTENT_MAX
from hotline.domain.text_input import phone_input
from hotline.forms.text_fields import FreeTextField, SingleLineField
from hotline.orders.services.intake import CitizenInput, Intake

# The outcome buttons of the intake screen; "queue" registers the order and leaves
# it to the dispatcher.
ACTIONS = {
    "answer": "当场答复",
    "dispatch": "转派",
    "queue": "交派单员派单",
    "reject": "不予受理",
    "transfer": "即时转办",
    "harassment": "骚扰来电",
    "invalid": "无效来电",
}
# Calls that are recorded rather than handled: nothing to ask the caller about.
RECORD_ONLY = {"harassment": Disposition.HARASSMENT, "invalid": Disposition.INVALID}


def vocabulary_choices(vocabulary, blank: str) -> list:
    return [("", blank), *vocabulary.choices()]


class PlainLabels:
    """Labels without Django's trailing colon, as the pages write them."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def classification_initial(order) -> dict:
    """An order's appeal type, category and region as a form's initial values."""
    return {
        "appeal_type": order.appeal_type,
        "category": order.category.code if order.category else "",
        "region": order.region.code if order.region else "",
    }


def category_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label="事项分类",
        queryset=Category.objects.filter(active=True),
        to_field_name="code",
        required=False,
        error_messages={"invalid_choice": "所选事项分类不存在或已停用"},
    )


def region_field() -> forms.ModelChoiceField:
    """Any region, communities included, chosen in the region picker by its code."""
    return forms.ModelChoiceField(
        label="区域",
        queryset=Region.objects.all(),
        to_field_name="code",
        required=False,
        error_messages={"invalid_choice": "所选区域不存在"},
    )


class OutcomeFields(forms.Form):
    """What an intake outcome asks, shared by the intake screen and the intake review:
    the reason of a rejection, the service and note of a transfer, the units of a
    dispatch (confirmed in the dispatch step)."""

    reject_reason = forms.ChoiceField(
        label="不予受理理由", choices=vocabulary_choices(RejectReason, "请选择理由"), required=False
    )
    # SPEC 3 (2026-12): an emergency is transferred (three-way call), not rejected.
    transfer_to = forms.ChoiceField(
        label="转办对象",
        choices=vocabulary_choices(EmergencyService, "请选择转办对象"),
        required=False,
    )
    transfer_note = SingleLineField(
        label="转办说明（三方通话情况）", max_length=CONTENT_MAX, required=False
    )
    lead = forms.ModelChoiceField(
        label="主办单位",
        queryset=Unit.objects.filter(active=True),
        to_field_name="code",
        required=False,
        error_messages={"invalid_choice": "所选主办单位不存在或已停用"},
    )
    co_units = forms.ModelMultipleChoiceField(
        label="协办单位",
        queryset=Unit.objects.filter(active=True),
        to_field_name="code",
        required=False,
        error_messages={"invalid_choice": "所选协办单位「%(value)s」不存在或已停用"},
    )
    # Set by the dispatch step: the operator has seen the units and confirms them.
    step = forms.CharField(required=False, widget=forms.HiddenInput)

    def check_outcome(self, data: dict, action: str | None) -> None:
        if action == "reject" and not data.get("reject_reason"):
            self.add_error("reject_reason", "不予受理须选择理由")
        if action == "transfer":
            if not data.get("transfer_to"):
                self.add_error("transfer_to", "请选择转办对象（110、119、120 或 122）")
            if not data.get("transfer_note"):
                self.add_error("transfer_note", "请填写转办说明")
        if action == "dispatch" and self.confirming and not data.get("lead"):
            self.add_error("lead", "请选择主办单位，或交派单员派单")

    @property
    def confirming(self) -> bool:
        """The dispatch step was shown and its units are being confirmed."""
        return self.data.get("step") == "confirm"


class IntakeForm(PlainLabels, OutcomeFields):
    """One call. Content and appeal type are asked for every outcome but harassment
    and invalid calls, which the operator records with one key."""

    # Harassment and invalid calls carry no content: the browser must not insist.
    use_required_attribute = False

    phone = SingleLineField(label="来电号码", max_length=30, required=False)
    citizen_name = SingleLineField(label="诉求人", max_length=50, required=False)
    citizen_kind = forms.ChoiceField(
        label="诉求人类型", choices=CitizenKind.choices(), initial=CitizenKind.URBAN.value
    )
    channel = forms.ChoiceField(
        label="受理渠道", choices=Channel.choices(), initial=Channel.PHONE.value
    )
    # SPEC 7 (2026-12): asked on 人大代表专席 only; the service says when it is wrong.
    deputy_level = forms.ChoiceField(
        label="人大代表级别",
        choices=vocabulary_choices(DeputyLevel, "请选择（仅人大代表专席）"),
        required=False,
    )
    appeal_type = forms.ChoiceField(
        label="诉求类型", choices=vocabulary_choices(AppealType, "请选择诉求类型"), required=False
    )
    category = category_field()
    region = region_field()
    address = SingleLineField(label="地址", max_length=ADDRESS_MAX, required=False)
    content = FreeTextField(
        label="诉求内容",
        max_length=CONTENT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    urgent = forms.BooleanField(label="急办件", required=False)
    confidential = forms.BooleanField(label="保密（承办单位不可见诉求人信息）", required=False)
    tags = forms.ModelMultipleChoiceField(
        label="专项",
        queryset=Tag.objects.filter(active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    article = SingleLineField(label="答复依据（知识库条目）", max_length=200, required=False)
    # SPEC 8: the call this order comes from, filled in by the screen pop.
    call_id = SingleLineField(max_length=40, required=False, widget=forms.HiddenInput)
    action = forms.ChoiceField(
        choices=list(ACTIONS.items()),
        error_messages={"required": "请选择受理结果", "invalid_choice": "没有这项受理结果"},
    )

    def clean_phone(self):
        typed = self.cleaned_data["phone"]
        if not typed:
            return ""
        phone = phone_input(typed)
        if phone is None:
            raise forms.ValidationError(
                "请输入正确的电话号码（手机号、带区号的固定电话或 400/800/95 服务号码）"
            )
        return phone

    def clean_call_id(self):
        call_id = self.cleaned_data["call_id"]
        if call_id and not call_exists(external_id=call_id):
            raise forms.ValidationError(f"来电编号 {call_id} 不存在，请重新接听或清空后登记")
        return call_id

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action in RECORD_ONLY:
            data["content"] = data.get("content") or RECORD_ONLY[action].label
            data["appeal_type"] = data.get("appeal_type") or AppealType.OTHER.value
            return data
        if action and not data.get("content"):
            self.add_error("content", "请填写诉求内容")
        if action and not data.get("appeal_type"):
            self.add_error("appeal_type", "请选择诉求类型")
        self.check_outcome(data, action)
        return data

    def intake(self) -> Intake:
        data = self.cleaned_data
        citizen = None
        if data["phone"] or data["citizen_name"]:
            citizen = CitizenInput(
                name=data["citizen_name"].strip(), phone=data["phone"], kind=data["citizen_kind"]
            )
        return Intake(
            channel=data["channel"],
            appeal_type=data["appeal_type"],
            content=data["content"],
            category=data["category"],
            region=data["region"],
            address=data["address"].strip(),
            citizen=citizen,
            confidential=data["confidential"],
            urgent=data["urgent"],
            tags=tuple(data["tags"]),
            call_id=data["call_id"],
            deputy_level=data["deputy_level"],
        )


class SplitPartForm(PlainLabels, forms.Form):
    """One matter of a call that raised several."""

    use_required_attribute = False

    content = FreeTextField(
        label="诉求内容",
        max_length=CONTENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写这一项的诉求内容"},
    )
    appeal_type = forms.ChoiceField(
        label="诉求类型",
        choices=vocabulary_choices(AppealType, "请选择诉求类型"),
        error_messages={"required": "请选择诉求类型"},
    )
    category = category_field()
    region = region_field()

    def intake(self, *, original) -> Intake:
        """The part as a new order; what the call shares comes from the original."""
        data = self.cleaned_data
        return Intake(
            channel=original.channel,
            deputy_level=original.deputy_level,
            appeal_type=data["appeal_type"],
            content=data["content"],
            category=data["category"],
            region=data["region"],
            address=original.address,
            confidential=original.confidential,
            urgent=original.urgent,
        )


class _SplitParts(forms.BaseFormSet):
    default_error_messages = {
        **forms.BaseFormSet.default_error_messages,
        "too_few_forms": "拆单至少要拆成两项诉求",
        "too_many_forms": "一次最多拆成 %(num)d 项",
    }


SPLIT_MIN, SPLIT_MAX = 2, 10

SplitFormSet = formset_factory(
    SplitPartForm,
    formset=_SplitParts,
    extra=0,
    min_num=SPLIT_MIN,
    max_num=SPLIT_MAX,
    validate_min=True,
    validate_max=True,
)
