"""Admin behaviour shared by the apps' ModelAdmins."""

from django.db import models
from django.forms import ModelForm
from django.http import HttpRequest


class CreateThroughServiceMixin:
    """Additions go through the app's service function, as the API's and the
    management commands' do, so that every path applies the same rules.

    Changes are saved as usual. For an addition, `create` stores the row and
    returns it; the admin's object then becomes that row, so that the admin's
    message and redirect point at it.
    """

    def create(self, request: HttpRequest, obj: models.Model, form: ModelForm) -> models.Model:
        raise NotImplementedError("subclasses create the row through their service")

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        obj.pk = self.create(request, obj, form).pk
        obj.refresh_from_db()
