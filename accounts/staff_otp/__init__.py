"""Two-factor sign-in for staff (django-otp): the admin site that requires it, enrolment of
an authenticator app (TOTP) with single-use recovery codes, and the reset a privacy officer
may make for a colleague who lost their phone."""
