"""Law-enforcement requests in the admin, for the legal officer and the legal approver only:
the request's page (requests), its workflow steps (steps), the pages that take input
(forms) and its read-only inlines."""

from privacy.legal.admin import requests  # noqa: F401  (registers LegalRequestAdmin)
