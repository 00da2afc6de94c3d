"""Products, orders and payments ('Order Processing'): built by the orders issue. Every
model added here must be declared in orders/privacy.py before `manage.py check` passes."""
