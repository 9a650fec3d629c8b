"""Form fields that make typed text plain (``hotline.domain.text_input``) before the
length and other checks run, so that a limit counts what will be stored."""

from django import forms

from hotline.domain.text_input import free_text, phone_input, single_line


class SingleLineField(forms.CharField):
    """A name, address or code: one line, full-width ASCII folded, no invisible characters."""

    def to_python(self, value):
        value = super().to_python(value)
        return single_line(value) if value not in self.empty_values else value


class FreeTextField(forms.CharField):
    """Content, reasons, comments: line breaks and Chinese punctuation kept."""

    def to_python(self, value):
        value = super().to_python(value)
        return free_text(value) if value not in self.empty_values else value


class PhoneField(forms.CharField):
    """A citizen's contact number (mobile or landline, never a service line), as digits."""

    default_error_messages = {
        "required": "请填写联系电话",
        "invalid": "请填写正确的手机号码或固定电话（如 13800000000 或 0731-58581234）",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 24)
        kwargs.setdefault("label", "联系电话")
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return text
        phone = phone_input(text, service=False)
        if phone is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return phone
