"""User accounts in the admin site. Passwords use Django's own forms (set on creation,
changed through the password form, never shown); role, unit and being active go
through the account services, so their rules hold here as on the users page."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from hotline.accounts import services
from hotline.accounts.models import User
from hotline.domain.errors import DomainError

# What a user may do comes from their role (hotline.domain.permissions), not from
# Django's groups: offering groups here would suggest a second, ineffective way.
admin.site.unregister(Group)


class _AccountRules:
    """Checks the role and unit with the services' rules, as the form is cleaned."""

    request = None  # set by the admin before validation

    def clean(self):
        cleaned = super().clean()
        if "role" in cleaned:
            try:
                services.account_check(
                    role=cleaned["role"],
                    unit=cleaned.get("unit"),
                    actor=self.request.user if self.request else None,
                    user=self.instance if self.instance.pk else None,
                    active=cleaned.get("is_active"),
                )
            except DomainError as error:
                raise ValidationError(error.message) from None
        return cleaned


class AccountCreationForm(_AccountRules, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ["username", "first_name", "role", "unit"]


class AccountChangeForm(_AccountRules, UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = ["username", "first_name", "role", "unit", "is_active"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = AccountChangeForm
    add_form = AccountCreationForm
    list_display = ["username", "first_name", "role", "unit", "is_active", "last_login"]
    list_filter = ["role", ("unit", admin.RelatedOnlyFieldListFilter), "is_active"]
    list_select_related = ["unit"]
    search_fields = ["username", "first_name", "unit__name"]
    ordering = ["username"]
    autocomplete_fields = ["unit"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("账号", {"fields": ["first_name", "role", "unit", "is_active"]}),
        ("时间", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["username", "first_name", "role", "unit", "password1", "password2"],
            },
        ),
    ]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"request": request})

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            created = services.user_create(
                username=data["username"],
                role=data["role"],
                password=data["password1"],
                unit=data.get("unit"),
                full_name=data.get("first_name", ""),
                actor=request.user,
            )
            obj.pk = created.pk
            obj.refresh_from_db()
            return
        services.user_update(
            user=obj,
            role=data["role"],
            unit=data.get("unit"),
            full_name=data.get("first_name", ""),
            actor=request.user,
        )
        if "username" in form.changed_data:
            obj.save(update_fields=["username"])
        if "is_active" in form.changed_data:
            change_activity = (
                services.user_reactivate if obj.is_active else services.user_deactivate
            )
            change_activity(user=obj, actor=request.user)

    def has_delete_permission(self, request, obj=None):
        # Accounts are named on orders and in the audit trail: deactivate, never delete.
        return False
