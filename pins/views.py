"""The pins endpoints: thin views over the pins services and selectors."""

from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from pins.schema import (
    create_pinned_schema,
    delete_pinned_schema,
    get_pinned_project_schema,
    get_pinned_schema,
)
from pins.selectors import pin_list_for_member
from pins.serializers import PinInputSerializer, path_project_id_or_raise, pin_representation
from pins.services import pin_create, pin_delete, pin_get
from pinsite.exceptions import BadRequest
from pinsite.ratelimit import RateLimitMixin


def json_object_from(request: Request) -> dict:
    """The request body as a JSON object, or BadRequest.

    A missing body and any JSON value other than an object are refused here;
    a body that is not JSON at all is refused by the parser.
    """
    if request.stream is None:
        raise BadRequest("The request body must be a JSON object; it is empty")
    data = request.data
    if not isinstance(data, dict):
        raise BadRequest(f"The request body must be a JSON object, not {type(data).__name__}")
    return data


class PinnedCollectionView(RateLimitMixin, APIView):
    """The calling member's pins."""

    @get_pinned_schema
    def get(self, request: Request) -> Response:
        pins = pin_list_for_member(member=request.user)
        return Response(pins)

    @create_pinned_schema
    def post(self, request: Request) -> Response:
        serializer = PinInputSerializer(data=json_object_from(request))
        data = serializer.validated_or_raise()

        pin, created = pin_create(
            member=request.user, project_id=data["project_id"], pinned_at=data.get("pinned_at")
        )

        body = pin_representation(pin)
        if not created:
            return Response(body, status=status.HTTP_200_OK)
        location = f"/v1/pinned/{pin.project_id}"
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": location})


class PinnedProjectView(RateLimitMixin, APIView):
    """One of the calling member's pins, by projectId."""

    @get_pinned_project_schema
    def get(self, request: Request, projectId: str) -> Response:
        project_id = path_project_id_or_raise(projectId)
        pin = pin_get(member=request.user, project_id=project_id)
        return Response(pin_representation(pin))

    @delete_pinned_schema
    def delete(self, request: Request, projectId: str) -> Response:
        project_id = path_project_id_or_raise(projectId)
        pin_delete(member=request.user, project_id=project_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
