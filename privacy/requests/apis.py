"""The member's data requests over the API: GET/POST /api/v1/me/data-requests/,
GET /api/v1/me/data-requests/<id>/, POST .../cancel/ and GET .../download/."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import FileResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import APIException, NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from bestqm.api.pagination import MemberListPagination
from bestqm.api.strict_input import StrictInputMixin
from bestqm.http.rate_limits import rate_limited
from privacy.audit.services import Actor
from privacy.requests.errors import DataRequestError
from privacy.requests.exports import export_open
from privacy.requests.models import CorrectionItem, DataRequest
from privacy.requests.selectors import (
    data_request_of,
    data_requests_of,
    waiting_on_legal_obligation,
)
from privacy.requests.services import ProposedCorrection, data_request_cancel, data_request_create


class Gone(APIException):
    status_code = status.HTTP_410_GONE
    default_code = "export_expired"
    default_detail = "This download link has expired."


class CorrectionItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = CorrectionItem
        fields = ["model_label", "object_id", "field_name", "proposed_value", "decision", "reason"]


class DataRequestOutput(serializers.ModelSerializer):
    items = CorrectionItemSerializer(many=True, read_only=True)
    download_url = serializers.SerializerMethodField()
    waiting_on_legal_obligation = serializers.SerializerMethodField(
        help_text="A deletion that cannot finish while a legal obligation keeps some data."
    )

    class Meta:
        model = DataRequest
        fields = [
            "id",
            "kind",
            "status",
            "received_at",
            "due_at",
            "extension_reason",
            "completed_at",
            "outcome",
            "erase_after",
            "progress",
            "export_expires_at",
            "download_url",
            "waiting_on_legal_obligation",
            "items",
        ]

    def get_waiting_on_legal_obligation(self, obj) -> bool:
        return waiting_on_legal_obligation(obj)

    def get_download_url(self, obj) -> str | None:
        if obj.kind != DataRequest.Kind.EXPORT or obj.status != DataRequest.Status.COMPLETED:
            return None
        path = reverse("v1:me-data-request-download", kwargs={"pk": obj.pk})
        return self.context["request"].build_absolute_uri(path)


class _CorrectionInput(StrictInputMixin, serializers.Serializer):
    model_label = serializers.CharField(max_length=100)
    object_id = serializers.CharField(max_length=64)
    field_name = serializers.CharField(max_length=100)
    proposed_value = serializers.CharField(max_length=2000)


class DataRequestInput(StrictInputMixin, serializers.Serializer):
    kind = serializers.ChoiceField(choices=DataRequest.Kind.choices)
    password = serializers.CharField(
        required=False, write_only=True, max_length=200, help_text="Required for deletion."
    )
    corrections = _CorrectionInput(many=True, required=False, help_text="For correction.")


class MeDataRequestListApi(generics.ListAPIView):
    """The member's own data requests, newest first; POST opens one. Asking again while
    one of the same kind is open returns that one (200) instead of a second (201)."""

    serializer_class = DataRequestOutput
    pagination_class = MemberListPagination

    def get_queryset(self):
        return data_requests_of(self.request.user).prefetch_related("items")

    @extend_schema(
        request=DataRequestInput,
        responses={201: DataRequestOutput, 200: DataRequestOutput},
        operation_id="me_data_requests_create",
    )
    @rate_limited("data_request")
    def post(self, request):
        data = DataRequestInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        corrections = [ProposedCorrection(**c) for c in values.get("corrections", [])]
        try:
            data_request, created = data_request_create(
                member=request.user,
                actor=Actor.from_request(request),
                kind=values["kind"],
                password=values.get("password"),
                corrections=corrections,
                request=request,
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
        body = DataRequestOutput(data_request, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class MeDataRequestDetailApi(generics.RetrieveAPIView):
    """One of the member's own requests: status, due date and, for a finished export,
    the download link. Another member's request answers 404."""

    serializer_class = DataRequestOutput

    def get_object(self):
        return data_request_of(self.request.user, self.kwargs["pk"])


class MeDataRequestCancelApi(APIView):
    @extend_schema(request=None, responses=DataRequestOutput, operation_id="me_data_request_cancel")
    def post(self, request, pk):
        data_request = data_request_of(request.user, pk)
        data_request = data_request_cancel(request=data_request, actor=Actor.from_request(request))
        return Response(DataRequestOutput(data_request, context={"request": request}).data)


class MeDataRequestDownloadApi(APIView):
    @extend_schema(
        responses={
            (200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY),
            410: OpenApiResponse(description="The link has expired."),
        },
        operation_id="me_data_request_download",
    )
    def get(self, request, pk):
        data_request = data_request_of(request.user, pk)
        try:
            handle = export_open(request=data_request, actor=Actor.from_request(request))
        except DataRequestError as exc:
            if exc.code == "export_expired":
                raise Gone(detail=exc.message) from exc
            raise NotFound(detail=exc.message) from exc
        return FileResponse(
            handle, as_attachment=True, filename=f"bestqm-export-{data_request.pk}.zip"
        )
