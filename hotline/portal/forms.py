"""What a citizen types on the portal, checked before anything is looked up or written."""

from django import forms

from hotline.directory.models import Region
from hotline.domain.citizen_rating import COMMENT_MAX, RESULTS
from hotline.domain.enums import AppealType
from hotline.domain.intake import ADDRESS_MAX, CONTENT_MAX
from hotline.domain.text_input import phone_digits
from hotline.forms.text_fields import FreeTextField, PhoneField, SingleLineField

NAME_MAX = 50


def contact_phone(text: str) -> str | None:
    """A Chinese mobile or landline number as digits only (the form the telephony system
    and the intake desk store), or None when it is not one; a citizen's contact number
    is never a 400/800/95xxx service line."""
    return phone_digits(text, service=False)


class OnlineRequestForm(forms.Form):
    appeal_type = forms.ChoiceField(label="诉求类型", choices=AppealType.choices())
    content = FreeTextField(
        label="诉求内容",
        max_length=CONTENT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="请写明时间、地点和具体问题",
        error_messages={"required": "请填写诉求内容"},
    )
    # Where it happened, without a map: a region found by name or pinyin initials
    # (towns and communities included) and the address typed out.
    region = forms.ModelChoiceField(
        label="所在区域",
        queryset=Region.objects.all(),
        to_field_name="code",
        required=False,
        error_messages={"invalid_choice": "所选区域不存在"},
    )
    address = SingleLineField(label="详细地址", max_length=ADDRESS_MAX, required=False)
    name = SingleLineField(
        label="姓名",
        max_length=NAME_MAX,
        help_text="可填“李先生”“王女士”",
        error_messages={"required": "请填写姓名"},
    )
    phone = PhoneField(help_text="用于办理单位联系您和查询办理进度")
    confidential = forms.BooleanField(
        label="为我保密", required=False, help_text="勾选后，承办单位看不到您的姓名和电话"
    )


class TrackForm(forms.Form):
    number = SingleLineField(
        label="工单编号", max_length=20, error_messages={"required": "请填写工单编号"}
    )
    phone = PhoneField(help_text="提交诉求时填写的电话")

    def clean_number(self):
        number = self.cleaned_data["number"].strip()
        if not (number.isascii() and number.isdigit()):
            raise forms.ValidationError("工单编号只能是数字")
        return number


class RatingForm(TrackForm):
    result = forms.ChoiceField(
        label="您对办理结果的评价",
        choices=[(r.value, r.label) for r in RESULTS],
        widget=forms.RadioSelect,
        error_messages={
            "required": "请选择您的评价",
            "invalid_choice": "请选择满意、基本满意或不满意",
        },
    )
    comment = FreeTextField(
        label="评价意见",
        max_length=COMMENT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=f"可不填，最多 {COMMENT_MAX} 字；请不要填写姓名、电话等个人信息",
        error_messages={"max_length": f"评价意见不能超过 {COMMENT_MAX} 字"},
    )
