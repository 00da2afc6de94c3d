"""System checks of the orders app: a deployment that cannot reach its processor fails
`manage.py check` (and so migrate and runserver) instead of failing at the first checkout.
A missing card key is refused earlier, by the settings' production guard."""

from django.core import checks

from orders.payment_gateway import payment_processor
from orders.sandbox_processor import SandboxProcessor


@checks.register("orders")
def check_payment_processor(app_configs=None, **kwargs):
    try:
        processor = payment_processor()
    except Exception as exc:  # an import error, a constructor that needs configuration
        return [
            checks.Error(
                f"PAYMENT_PROCESSOR cannot be loaded ({type(exc).__name__}).",
                hint="Name a class with the methods of orders.payment_gateway.PaymentProcessor.",
                id="orders.E002",
            )
        ]
    missing = [m for m in ("authorise", "refund") if not callable(getattr(processor, m, None))]
    if missing:
        return [
            checks.Error(
                f"PAYMENT_PROCESSOR lacks {', '.join(missing)}.",
                hint="See orders.payment_gateway.PaymentProcessor.",
                id="orders.E003",
            )
        ]
    return []


@checks.register("orders", deploy=True)
def check_processor_moves_money(app_configs=None, **kwargs):
    try:
        processor = payment_processor()
    except Exception:
        return []  # orders.E002 reports it
    if isinstance(processor, SandboxProcessor):
        return [
            checks.Warning(
                "PAYMENT_PROCESSOR is the sandbox: every order is paid without any money moving.",
                hint="Configure a real card processor before taking orders.",
                id="orders.W001",
            )
        ]
    return []
