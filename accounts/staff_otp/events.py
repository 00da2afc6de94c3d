from django.db import models

from privacy.audit.event_types import event_types


@event_types.register
class StaffOtpEvent(models.TextChoices):
    ENROLLED = "staff_otp.enrolled", "Two-factor device enrolled"
    RECOVERY_CODE_USED = "staff_otp.recovery_code_used", "Two-factor recovery code used"
    DEVICE_REMOVED = "staff_otp.device_removed", "Two-factor device removed"
