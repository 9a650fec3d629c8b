"""The forms of the orders pages (``web/views/orders.py``)."""

from django import forms

from hotline.domain.enums import (
    AppealType,
    Status,
)
from hotline.domain.masking import PHONE_SEARCH_REFUSED, may_search_by_phone
from hotline.domain.text_search import query_terms
from hotline.orders.selectors.search import (
    SearchFilters,
    category_subtree,
    region_subtree,
    unit_find,
)


def _blank(vocabulary) -> list[tuple[str, str]]:
    return [("", "全部"), *vocabulary.choices()]


class OrderSearchForm(forms.Form):
    number = forms.CharField(label="工单编号", max_length=20, required=False)
    external_ref = forms.CharField(
        label="省平台工单号", max_length=40, required=False, help_text="来源平台自己的工单号"
    )
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    text = forms.CharField(
        label="内容",
        max_length=100,
        required=False,
        help_text="诉求内容或答复中的字词，多个词用空格分开",
    )
    status = forms.ChoiceField(label="状态", choices=_blank(Status), required=False)
    appeal_type = forms.ChoiceField(label="诉求类型", choices=_blank(AppealType), required=False)
    category = forms.CharField(
        label="事项分类",
        max_length=100,
        required=False,
        help_text="编码，或名称中的字词（如“噪音”），含下级分类",
    )
    region = forms.CharField(
        label="区域", max_length=100, required=False, help_text="编码，或名称中的字词，含下级区划"
    )
    lead_unit = forms.CharField(
        label="主办单位",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"list": "unit-names"}),
        help_text="编码或名称",
    )
    received_from = forms.DateField(
        label="受理日期自", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    received_to = forms.DateField(
        label="至", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, role: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.role = role
        if not may_search_by_phone(role):
            del self.fields["phone"]

    def clean_number(self):
        number = self.cleaned_data["number"].strip()
        if number and not (number.isascii() and number.isdigit()):
            raise forms.ValidationError("工单编号只能是数字")
        return number

    def clean_phone(self):
        phone = "".join(self.cleaned_data["phone"].split()).replace("-", "")
        if phone and not (phone.isascii() and phone.isdigit()):
            raise forms.ValidationError("联系电话只能是数字")
        return phone

    def clean_text(self):
        text = " ".join(self.cleaned_data["text"].split())
        if text and not query_terms(text):
            raise forms.ValidationError("请输入要查找的汉字、字母或数字")
        return text

    def clean_category(self):
        return self._subtree("category", category_subtree, "事项分类")

    def clean_region(self):
        return self._subtree("region", region_subtree, "区域")

    def _subtree(self, name: str, find, what: str):
        text = self.cleaned_data[name].strip()
        if not text:
            return None
        ids = find(text)
        if not ids:
            raise forms.ValidationError(f"未找到{what}「{text}」")
        return ids

    def clean_lead_unit(self):
        text = self.cleaned_data["lead_unit"].strip()
        if not text:
            return None
        unit = unit_find(text)
        if unit is None:
            raise forms.ValidationError(f"未找到单位「{text}」")
        return unit

    def clean(self):
        data = super().clean()
        if "phone" not in self.fields:
            if self.data.get("phone", "").strip():
                raise forms.ValidationError(PHONE_SEARCH_REFUSED)
            data["phone"] = ""
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and start > end:
            self.add_error("received_to", "结束日期不能早于开始日期")
        return data

    def filters(self) -> SearchFilters:
        data = self.cleaned_data
        return SearchFilters(
            number=data["number"],
            external_ref=data["external_ref"].strip(),
            phone=data["phone"],
            text=data["text"],
            status=data["status"],
            appeal_type=data["appeal_type"],
            category_ids=data["category"],
            region_ids=data["region"],
            lead_unit_id=data["lead_unit"].pk if data["lead_unit"] else None,
            received_from=data["received_from"],
            received_to=data["received_to"],
        )
