"""Admin of pins, for support staff.

Pins are looked at and removed here, not edited: a new pin goes through
pins.services.pin_create, as an API request would, so the per-member limit
and the millisecond precision of pinnedAt hold for it too.
"""

from django import forms
from django.conf import settings
from django.contrib import admin

from pins.models import Pin
from pins.services import pin_create
from pinsite import clock
from pinsite.admin import CreateThroughServiceMixin


class PinCreationForm(forms.ModelForm):
    class Meta:
        model = Pin
        fields = ["member", "project", "pinned_at"]

    def clean_pinned_at(self):
        pinned_at = self.cleaned_data["pinned_at"]
        if pinned_at > clock.now():
            raise forms.ValidationError("A pin cannot be dated in the future.")
        return pinned_at

    def clean(self):
        cleaned_data = super().clean()
        member = cleaned_data.get("member")
        limit = settings.PINS_MAX_PER_MEMBER
        if member is not None and member.pin_count >= limit:
            raise forms.ValidationError(
                f"This member already holds the most pins allowed ({limit})."
            )
        return cleaned_data


@admin.register(Pin)
class PinAdmin(CreateThroughServiceMixin, admin.ModelAdmin):
    form = PinCreationForm
    list_display = ["member", "project", "pinned_at", "created_at"]
    list_filter = ["project__organization"]
    list_select_related = ["member", "project"]
    search_fields = ["member__email", "project__project_id"]
    autocomplete_fields = ["member", "project"]
    fields = ["member", "project", "pinned_at", "created_at"]
    readonly_fields = ["created_at"]

    def has_change_permission(self, request, obj=None):
        return False

    def get_changeform_initial_data(self, request):
        return {"pinned_at": clock.now(), **super().get_changeform_initial_data(request)}

    def create(self, request, obj, form):
        pin_create(member=obj.member, project_id=obj.project.project_id, pinned_at=obj.pinned_at)
        return Pin.objects.only("pk").get(member=obj.member, project=obj.project)
