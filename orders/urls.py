"""Browser pages of the orders app, mounted at /orders/."""

from django.urls import path

from orders import views

app_name = "orders"

urlpatterns = [
    path("", views.order_list, name="list"),
    path("products/", views.product_list, name="products"),
    path("products/<slug:slug>/checkout/", views.checkout, name="checkout"),
    path("<int:pk>/", views.order_detail, name="detail"),
    path("<int:pk>/pay/", views.order_pay, name="pay"),
    path("<int:pk>/cancel/", views.order_cancel, name="cancel"),
    path("cards/<int:pk>/remove/", views.stored_card_remove, name="card_remove"),
]
