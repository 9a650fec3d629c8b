"""The parameters GeoReport v2 clients send, checked before anything is looked up."""

from django import forms

from hotline.domain.enums import AppealType
from hotline.domain.intake import ADDRESS_MAX, CONTENT_MAX
from hotline.forms.text_fields import FreeTextField, PhoneField, SingleLineField

MAX_IDS = 1000
FIRST_YEAR, LAST_YEAR = 1900, 9000


def _comma_list(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))


class NewRequestForm(forms.Form):
    """POST requests: the standard's fields; ``attribute[appeal_type]`` is our one attribute."""

    service_code = SingleLineField(max_length=20)
    description = FreeTextField(max_length=CONTENT_MAX)
    address_string = SingleLineField(max_length=ADDRESS_MAX, required=False)
    address_id = SingleLineField(max_length=40, required=False)
    lat = forms.FloatField(min_value=-90, max_value=90, required=False)
    long = forms.FloatField(min_value=-180, max_value=180, required=False)
    first_name = SingleLineField(max_length=25, required=False)
    last_name = SingleLineField(max_length=25, required=False)
    phone = PhoneField(required=False)
    email = forms.EmailField(max_length=254, required=False)
    appeal_type = forms.ChoiceField(
        choices=AppealType.choices(), required=False, initial=AppealType.OTHER.value
    )

    def clean(self):
        data = super().clean()
        has_point = data.get("lat") is not None and data.get("long") is not None
        if not (data.get("address_string") or data.get("address_id") or has_point):
            # GeoReport v2: a request needs a location: lat and long, or an address.
            raise forms.ValidationError("须提供位置：address_string，或 lat 与 long")
        return data

    def address(self) -> str:
        data = self.cleaned_data
        if data.get("address_string"):
            return data["address_string"]
        if data.get("lat") is not None and data.get("long") is not None:
            return f"经纬度 {data['lat']:.6f},{data['long']:.6f}"
        return data.get("address_id") or ""

    def citizen_name(self) -> str:
        # Chinese names put the family name first.
        return f"{self.cleaned_data['last_name']}{self.cleaned_data['first_name']}".strip()


class RequestQueryForm(forms.Form):
    service_request_id = forms.CharField(max_length=12 * MAX_IDS, required=False)
    service_code = forms.CharField(max_length=2000, required=False)
    start_date = forms.DateTimeField(required=False)
    end_date = forms.DateTimeField(required=False)
    status = forms.CharField(max_length=20, required=False)

    def clean_service_request_id(self):
        numbers = _comma_list(self.cleaned_data["service_request_id"])
        if len(numbers) > MAX_IDS:
            raise forms.ValidationError(f"service_request_id 最多 {MAX_IDS} 个")
        return numbers

    def clean_service_code(self):
        return _comma_list(self.cleaned_data["service_code"])

    def clean_status(self):
        statuses = _comma_list(self.cleaned_data["status"].lower())
        if not set(statuses) <= {"open", "closed"}:
            raise forms.ValidationError("status 只能是 open 或 closed")
        return statuses

    def _sane(self, name: str):
        moment = self.cleaned_data[name]
        if moment is not None and not FIRST_YEAR <= moment.year <= LAST_YEAR:
            raise forms.ValidationError(f"{name} 的年份须在 {FIRST_YEAR}–{LAST_YEAR} 之间")
        return moment

    def clean_start_date(self):
        return self._sane("start_date")

    def clean_end_date(self):
        return self._sane("end_date")

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and start > end:
            raise forms.ValidationError("start_date 不能晚于 end_date")
        return data


def first_problem(form: forms.Form) -> str:
    for name, problems in form.errors.items():
        prefix = "" if name == "__all__" else f"{name}: "
        return f"{prefix}{problems[0]}"
    return "请求参数不正确"
