"""Admin of organizations, members and API keys, for support staff.

Creations go through members.services, like the management commands, so
that both paths apply the same rules. An API key is shown in full once, in
the message that follows its creation; its hash is never displayed.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import QuerySet
from django.http import HttpRequest

from members.models import APIKey, Member, Organization
from members.services import api_key_create, api_key_revoke, member_create, organization_create
from pins.models import Pin
from pinsite import clock
from pinsite.admin import CreateThroughServiceMixin


@admin.register(Organization)
class OrganizationAdmin(CreateThroughServiceMixin, admin.ModelAdmin):
    list_display = ["slug", "name", "created_at"]
    search_fields = ["slug", "name"]
    fields = ["slug", "name", "created_at"]
    readonly_fields = ["created_at"]

    def create(self, request, obj, form):
        return organization_create(slug=obj.slug, name=obj.name)


class MemberCreationForm(AdminUserCreationForm):
    class Meta:
        model = Member
        fields = ["email", "organization"]

    def clean_email(self):
        # The model's unique field and its case-insensitive constraint would
        # each report the same duplicate; one message is enough.
        email = self.cleaned_data["email"].lower()
        if Member.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("A member with this email already exists.")
        return email


class MemberChangeForm(UserChangeForm):
    class Meta:
        model = Member
        fields = "__all__"


class PinInline(admin.TabularInline):
    """The member's pins, newest first, as the API lists them."""

    model = Pin
    fields = ["project", "pinned_at"]
    readonly_fields = ["project", "pinned_at"]
    extra = 0
    can_delete = False
    verbose_name_plural = "pinned projects"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("project")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class APIKeyInline(admin.TabularInline):
    """The member's keys, without their hashes; revoke them from the key's page."""

    model = APIKey
    fields = ["prefix", "name", "created_at", "last_used_at", "expires_at", "revoked_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Member)
class MemberAdmin(CreateThroughServiceMixin, UserAdmin):
    form = MemberChangeForm
    add_form = MemberCreationForm
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["name", "organization"]}),
        (
            "Permissions",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Important dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "organization", "usable_password", "password1", "password2"],
            },
        ),
    ]
    list_display = ["email", "name", "organization", "is_active", "is_staff", "last_login"]
    list_filter = ["organization", "is_active", "is_staff", "is_superuser"]
    list_select_related = ["organization"]
    search_fields = ["email", "name"]
    ordering = ["email"]
    inlines = [PinInline, APIKeyInline]

    def get_readonly_fields(self, request, obj=None):
        readonly = ["last_login", "date_joined"]
        if obj is not None:
            # Pins only join a member to projects of the same organization;
            # moving the member would leave their pins pointing across tenants.
            readonly.append("organization")
        return readonly

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def create(self, request, obj, form):
        usable = form.cleaned_data.get("set_usable_password", True)
        return member_create(
            email=obj.email,
            organization=obj.organization,
            password=form.cleaned_data["password1"] if usable else None,
        )


class APIKeyStatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("active", "Active"), ("expired", "Expired"), ("revoked", "Revoked")]

    def queryset(self, request, queryset):
        now = clock.now()
        if self.value() == "active":
            return queryset.usable(now)
        if self.value() == "expired":
            return queryset.filter(revoked_at__isnull=True, expires_at__lte=now)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


class APIKeyCreationForm(forms.ModelForm):
    class Meta:
        model = APIKey
        fields = ["member", "name", "expires_at"]

    def clean_expires_at(self):
        expires_at = self.cleaned_data["expires_at"]
        if expires_at is not None and expires_at <= clock.now():
            raise forms.ValidationError("The expiry must lie in the future.")
        return expires_at


@admin.register(APIKey)
class APIKeyAdmin(CreateThroughServiceMixin, admin.ModelAdmin):
    list_display = [
        "prefix",
        "name",
        "member",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    ]
    list_filter = [APIKeyStatusFilter, "member__organization"]
    list_select_related = ["member"]
    search_fields = ["member__email", "prefix", "name"]
    autocomplete_fields = ["member"]
    # key_hash is not editable, so no form would show it; excluding it too
    # keeps it out should a field list ever be widened.
    exclude = ["key_hash"]
    actions = ["revoke_selected"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["member", "name", "expires_at"]
        return [
            "member",
            "name",
            "prefix",
            "created_at",
            "last_used_at",
            "expires_at",
            "revoked_at",
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["member", "prefix", "created_at", "last_used_at", "revoked_at"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = APIKeyCreationForm
        return super().get_form(request, obj, change=change, **kwargs)

    def create(self, request, obj, form):
        created, key = api_key_create(member=obj.member, name=obj.name, expires_at=obj.expires_at)
        messages.warning(request, f"Copy this key now; it will not be shown again: {key}")
        return created

    @admin.action(description="Revoke selected keys", permissions=["change"])
    def revoke_selected(self, request: HttpRequest, queryset: QuerySet[APIKey]) -> None:
        revoked = 0
        for api_key in queryset.filter(revoked_at__isnull=True):
            api_key_revoke(api_key=api_key)
            revoked += 1
        self.message_user(request, f"Revoked {revoked} key(s).", messages.SUCCESS)
