"""Aggregate visit data and client-software sessions ('Aggregate Data', 'System
Information'): built by the activity issue; declare every model in activity/privacy.py."""
