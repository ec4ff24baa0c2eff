"""Admin of projects, for support staff. New projects go through
projects.services, like the createproject command."""

from django.contrib import admin

from pinsite.admin import CreateThroughServiceMixin
from projects.models import Project
from projects.services import project_create


@admin.register(Project)
class ProjectAdmin(CreateThroughServiceMixin, admin.ModelAdmin):
    list_display = ["project_id", "name", "organization", "created_at"]
    list_filter = ["organization"]
    list_select_related = ["organization"]
    search_fields = ["project_id", "name"]
    autocomplete_fields = ["organization"]
    fields = ["project_id", "name", "organization", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ["created_at"]
        # Moving a project to another organization would leave the pins of
        # the old organization's members pointing across tenants.
        return ["organization", "created_at"]

    def create(self, request, obj, form):
        return project_create(
            project_id=obj.project_id, organization=obj.organization, name=obj.name
        )
