"""GET /api/v1/transparency/: the public transparency report, for anyone, as JSON. The
same figures as the page, each described in the schema in the page's words."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from privacy.legal.models import LegalRequestType
from privacy.transparency.report import FIGURES, REQUEST_TYPES, transparency_report


def _count(figure: str, **kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=0, help_text=FIGURES[figure][1], **kwargs)


TYPE_HELP = {
    LegalRequestType.SUBPOENA: "Subpoenas received in the half-year.",
    LegalRequestType.COURT_ORDER: "Court orders received in the half-year.",
    LegalRequestType.SEARCH_WARRANT: "Search warrants received in the half-year.",
    LegalRequestType.EMERGENCY: FIGURES["emergency_requests"][1],
    LegalRequestType.RIGHTS_PROTECTION: (
        "Requests received in the half-year to disclose data to protect the service's "
        "rights or property."
    ),
}


def _type_help(request_type) -> str:
    return TYPE_HELP.get(request_type, f"{request_type.label}: requests received.")


# One integer per kind of legal process, keyed by its name: a fixed object rather than a
# list of {type, count}, so that clients read `requests_by_type.subpoena` and the schema
# needs no enum.
TransparencyRequestsByType = type(
    "TransparencyRequestsByType",
    (serializers.Serializer,),
    {
        "__module__": __name__,
        "__doc__": FIGURES["requests_by_type"][1],
        **{
            t.value: serializers.IntegerField(min_value=0, help_text=_type_help(t))
            for t in REQUEST_TYPES
        },
    },
)


class TransparencyHalfYear(serializers.Serializer):
    half_year = serializers.CharField(
        source="period.slug", help_text=f"Such as 2025-H2. {FIGURES['half_year'][1]}"
    )
    first_day = serializers.DateField(source="period.first_day")
    last_day = serializers.DateField(source="period.last_day")
    requests = _count("requests")
    requests_by_type = TransparencyRequestsByType(help_text=FIGURES["requests_by_type"][1])
    accounts_specified = _count("accounts_specified")
    decided = _count("decided")
    with_data_disclosed = _count("with_data_disclosed")
    share_with_data_disclosed = _count("share_with_data_disclosed", max_value=100, allow_null=True)
    rejected = _count("rejected")
    withdrawn = _count("withdrawn")
    still_open = _count("still_open")
    notices_sent = _count("notices_sent")
    notices_deferred = _count("notices_deferred")
    notices_due_after_emergency = _count("notices_due_after_emergency")
    preservation_requests = _count("preservation_requests")


class TransparencyReportOutput(serializers.Serializer):
    as_of = serializers.DateTimeField(help_text="When these figures were counted.")
    published_through = serializers.DateField(
        help_text="The last day of the last half-year published."
    )
    next_publication = serializers.DateField(
        help_text="When the half-year in progress ends and is published."
    )
    half_years = TransparencyHalfYear(
        many=True,
        help_text="Every half-year from the first request received to the last that has "
        "ended, newest first; half-years without requests are included, with zeros.",
    )


class TransparencyApi(APIView):
    """The transparency report: legal requests per half-year and what came of them.
    Counts only; nothing identifying. Open to anyone, throttled like the directory."""

    permission_classes = [AllowAny]

    @extend_schema(responses=TransparencyReportOutput, operation_id="transparency_report")
    def get(self, request):
        return Response(TransparencyReportOutput(transparency_report()).data)
