"""REST API v1 of the orders app, mounted under /api/v1/."""

from django.urls import path

from orders import apis

urlpatterns = [
    path("me/orders/", apis.MeOrderListApi.as_view(), name="me-orders"),
    path("me/orders/<str:id>/", apis.MeOrderDetailApi.as_view(), name="me-order"),
    path("me/orders/<str:id>/cancel/", apis.MeOrderCancelApi.as_view(), name="me-order-cancel"),
]
