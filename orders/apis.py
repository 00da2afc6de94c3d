"""The signed-in member's orders: GET /api/v1/me/orders/, GET /api/v1/me/orders/<id>/ and
POST /api/v1/me/orders/<id>/cancel/.

An order shows the billing contact the registry lets the member see, the card as brand
and last four digits, the licence serials it delivered and each payment attempt. Another
member's order is not found (404). Card details are never taken through the API: paying
is done on the checkout page.
"""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from bestqm.api.pagination import MemberListPagination
from bestqm.http.record_keys import parse_key
from orders import services
from orders.cards.numbers import CardBrand, card_label
from orders.models import Licence, Order, Payment, Product
from orders.selectors import charged_payment, order_of, orders_of
from privacy.audit.services import Actor

ORDER_ID = OpenApiParameter(
    "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The order number."
)


class CardOutput(serializers.Serializer):
    """A card as it is shown everywhere: brand and last four digits, never more."""

    brand = serializers.ChoiceField(choices=CardBrand.choices)
    last4 = serializers.CharField(min_length=4, max_length=4)
    exp_month = serializers.IntegerField(allow_null=True)
    exp_year = serializers.IntegerField(allow_null=True)
    display = serializers.CharField(help_text="For example 'Visa •••• 4242'.")

    def to_representation(self, payment):
        return {
            "brand": payment.card_brand,
            "last4": payment.card_last4,
            "exp_month": payment.card_exp_month,
            "exp_year": payment.card_exp_year,
            "display": card_label(payment.card_brand, payment.card_last4),
        }


@extend_schema_field(CardOutput(allow_null=True))
class _CardField(serializers.Field):
    def to_representation(self, payment):
        return CardOutput(payment).data if payment is not None and payment.card_last4 else None


class PaymentOutput(serializers.ModelSerializer):
    card = _CardField(source="*", read_only=True)

    class Meta:
        model = Payment
        fields = ["kind", "outcome", "amount", "reference", "card", "created_at"]
        read_only_fields = fields


class LicenceOutput(serializers.ModelSerializer):
    active = serializers.BooleanField(source="is_active", read_only=True)

    class Meta:
        model = Licence
        fields = ["serial", "active", "issued_at", "revoked_at"]
        read_only_fields = fields


class OrderOutput(serializers.ModelSerializer):
    product_kind = serializers.ChoiceField(
        source="product.kind", choices=Product.Kind.choices, read_only=True
    )
    card = serializers.SerializerMethodField(help_text="The card the order was paid with.")
    payments = PaymentOutput(many=True, read_only=True)
    licences = LicenceOutput(many=True, read_only=True)
    can_pay = serializers.BooleanField(
        read_only=True, help_text="Whether the order awaits payment (paid on its page)."
    )
    can_cancel = serializers.BooleanField(read_only=True)

    class Meta:
        model = Order
        fields = [
            "id",
            "status",
            "product_name",
            "product_kind",
            "amount",
            "currency",
            *services.billing_field_names(),
            "card",
            "payments",
            "licences",
            "membership_until",
            "can_pay",
            "can_cancel",
            "created_at",
            "paid_at",
            "fulfilled_at",
            "cancelled_at",
            "refunded_at",
        ]
        read_only_fields = fields

    @extend_schema_field(CardOutput(allow_null=True))
    def get_card(self, order):
        payment = charged_payment(order)
        return CardOutput(payment).data if payment is not None else None


def _own_order(request, raw_id: str) -> Order:
    # The path takes any text so that a malformed number is a 404 in the API's error
    # shape, not the site's HTML page; the schema still says integer.
    key = parse_key(raw_id)
    if key is None:
        raise Http404
    order = order_of(member=request.user, pk=key)
    if order is None:
        raise Http404
    return order


class MeOrderListApi(generics.ListAPIView):
    """The member's orders, newest first."""

    serializer_class = OrderOutput
    pagination_class = MemberListPagination

    def get_queryset(self):
        return orders_of(member=self.request.user)

    @extend_schema(operation_id="me_orders_list")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class MeOrderDetailApi(APIView):
    """One of the member's orders; another member's is not found."""

    @extend_schema(parameters=[ORDER_ID], responses=OrderOutput, operation_id="me_order_read")
    def get(self, request, id):
        return Response(OrderOutput(_own_order(request, id)).data)


class MeOrderCancelApi(APIView):
    """Cancel an order that has not been paid. Any other order: 409 with a stable code
    (order_not_cancellable)."""

    @extend_schema(
        parameters=[ORDER_ID],
        request=None,
        responses=OrderOutput,
        operation_id="me_order_cancel",
    )
    def post(self, request, id):
        order = _own_order(request, id)
        services.order_cancel(order=order, actor=Actor.from_request(request))
        return Response(OrderOutput(_own_order(request, id)).data)
