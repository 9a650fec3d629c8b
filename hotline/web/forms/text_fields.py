"""Form fields that make typed text plain (``hotline.domain.text_input``) before the
length and other checks run, so that a limit counts what will be stored."""

from django import forms

from hotline.domain.text_input import free_text, single_line


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
