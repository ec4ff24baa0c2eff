"""A throwaway URLconf whose views raise django-ratelimit's own exception."""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django_ratelimit.exceptions import Ratelimited
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from pinsite import errors


class LimitedAPIView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    def get(self, request: Request) -> Response:
        raise Ratelimited


def limited_django_view(request: HttpRequest) -> HttpResponse:
    raise Ratelimited


urlpatterns = [
    path("v1/limited-api", LimitedAPIView.as_view()),
    path("v1/limited-django", limited_django_view),
]

handler403 = errors.permission_denied
